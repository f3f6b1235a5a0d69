from datetime import UTC, date, datetime

import pytest

from teams.models import Department, Official
from tests.factories import make_breakdown, make_requirement


@pytest.fixture
def water(reference):
    return Department.objects.get(name="水生态环境处")


@pytest.fixture
def air(reference):
    return Department.objects.get(name="大气环境处")


@pytest.fixture
def table(reference, water, air, leader):
    """水生态环境处 leads 3, cooperates on 4; 刘初汉 (held by `leader`) leads 9; 5, 6 and 8 are not water's."""
    make_breakdown(starts_on=date(2026, 1, 1))
    liu = Official.objects.get_or_create(name="刘初汉")[0]
    liu.user = leader
    liu.save()
    return {
        3: make_requirement(number=3, text="消除黑臭水体", responsible=[water], due_date=date(2026, 12, 31)),
        4: make_requirement(
            number=4,
            text="茅洲河水质攻坚",
            responsible=[air],
            cooperating=[water],
            due_date=date(2026, 9, 30),
            postponed_to=date(2027, 3, 31),
        ),
        5: make_requirement(number=5, text="大气远期", responsible=[air], due_date=date(2026, 10, 31)),
        6: make_requirement(
            number=6,
            text="已完成事项",
            responsible=[water],
            due_date=date(2026, 8, 31),
            status="completed",
            progress=100,
        ),
        8: make_requirement(
            number=8,
            text="已停用事项",
            responsible=[water],
            due_date=date(2026, 8, 31),
            retired_at=datetime(2026, 5, 1, tzinfo=UTC),
        ),
        9: make_requirement(
            number=9, text="领导牵头事项", responsible=[air], due_date=date(2026, 11, 30), officials=[liu]
        ),
    }
