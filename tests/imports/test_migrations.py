"""The records of the three old stacks move into ImportRecord, nothing lost (tasks 0006, metrics 0007)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tasks", "0005_instructed_items"), ("metrics", "0006_seed_score_rules")]
AFTER = [("tasks", "0007_delete_importrun"), ("metrics", "0008_delete_indicatorimport")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the test database at every app's latest migration, whatever the test migrated to."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_it_moves_import_runs_and_indicator_imports_into_import_records(back_to_latest):
    old = _migrate(BEFORE)
    uploaded, applied = datetime(2026, 3, 1, 1, 0, tzinfo=UTC), datetime(2026, 3, 1, 1, 5, tzinfo=UTC)
    old.get_model("tasks", "ImportRun").objects.create(
        file_name="任务分解表.xlsx",
        sha256="a" * 64,
        file="imports/2026/03/aaaa.xlsx",
        created_at=uploaded,
        applied=True,
        applied_at=applied,
        created=64,
        retired=2,
        rows=64,
        size=1234,
        errors=[],
        new_departments=["人事处"],
        new_officials=[],
    )
    old.get_model("tasks", "ImportRun").objects.create(
        file_name="错表.csv",
        sha256="b" * 64,
        created_at=uploaded,
        errors=[{"row": 4, "column": "序号", "message": "x"}],
    )
    old.get_model("metrics", "IndicatorImport").objects.create(
        file_name="monthly.xlsx", sha256="c" * 64, created_at=uploaded, created=229, unchanged=3
    )

    new = _migrate(AFTER)
    records = {r.sha256[0]: r for r in new.get_model("imports", "ImportRecord").objects.all()}
    table, wrong, values = records["a"], records["b"], records["c"]
    assert (table.kind, table.file_name, table.file.name, table.size, table.applied_at) == (
        "breakdown",
        "任务分解表.xlsx",
        "imports/2026/03/aaaa.xlsx",
        1234,
        applied,
    )
    assert table.counts == {"created": 64, "updated": 0, "unchanged": 0, "retired": 2, "rows": 64}
    assert table.details["new_departments"] == ["人事处"]
    assert wrong.applied_at is None and wrong.errors == [{"row": 4, "column": "序号", "message": "x"}]
    assert (values.kind, values.counts["created"], values.counts["unchanged"], values.applied_at) == (
        "indicators",
        229,
        3,
        uploaded,
    )
