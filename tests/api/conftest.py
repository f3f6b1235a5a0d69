"""API clients: by session (the browser's cookie) and by a token the user created."""

import pytest
from rest_framework.test import APIClient

from api.models import token_create
from tests.tasks.conftest import air, district_requirement, media, requirement, tiny_pdf, water  # noqa: F401


def token_client(user, name="测试"):
    _record, token = token_create(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def session_client(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def published_bulletin(reference, admin_user):
    """The sample indicators and the bulletin of 2026-10 published (version 1)."""
    from datetime import date

    from metrics.bulletin import build_bulletin
    from metrics.demo import metrics_demo_load
    from metrics.workflow import bulletin_publish

    metrics_demo_load(user=admin_user)
    # The sample month is still 填报中: publishing it then needs a reason, printed on the bulletin.
    return bulletin_publish(
        month=date(2026, 10, 1), user=admin_user, data=build_bulletin(2026, 10), reason="测试数据，未经审核"
    )
