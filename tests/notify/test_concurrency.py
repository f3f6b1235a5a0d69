"""Two runs at once still send a message once: the database's constraint and the claim decide, not timing."""

import threading

import pytest
from django.db import connection

from notify.delivery import deliveries_retry, notify
from notify.models import Delivery

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers: run with DATABASE_URL=postgres://…"
)


@pytest.mark.django_db(transaction=True)
def test_it_sends_once_when_two_runs_overlap(receiver, reference):
    from notify.models import Channel
    from teams.models import Department

    water = Department.objects.get(name="水生态环境处")
    Channel.objects.create(department=water, kind="wecom", name="水处工作群", url=f"{receiver.url}/send?key=k")
    receiver.delay = 0.5
    barrier = threading.Barrier(4)
    errors = []

    def run(job):
        from django.db import connections

        try:
            barrier.wait()
            job()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    jobs = [lambda: notify("reminders:2026-06-20", water, "催办", "正文")] * 3 + [deliveries_retry]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(receiver.received) == 1
    assert list(Delivery.objects.values_list("state", "attempts")) == [("sent", 1)]
