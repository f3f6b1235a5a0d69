"""Dependencies point one way: imports ← teams ← tasks ← metrics (conventions.md).

Models and domain code of an app import only from the apps to its left; pages
(views, templates) may read across.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ORDER = ["imports", "teams", "directory", "notify", "tasks", "metrics", "calendars"]
PAGE_MODULES = {"views", "urls", "admin", "tables", "filters", "forms"}


def _domain_modules(app):
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        parts = set(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
        if parts & PAGE_MODULES or "migrations" in parts or "management" in parts:
            continue
        yield path


def _imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]


@pytest.mark.parametrize("app", ORDER)
def test_it_keeps_domain_code_from_importing_apps_to_its_right(app):
    forbidden = set(ORDER[ORDER.index(app) + 1 :])
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): sorted(set(_imported_apps(path)) & forbidden)
        for path in _domain_modules(app)
    }
    assert {k: v for k, v in offenders.items() if v} == {}
