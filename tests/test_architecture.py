"""Dependencies point one way (conventions.md, "The shape").

Models and domain code of an app import only from the apps to its left. Pages (views, urls, admin,
tables, filters, forms, management commands) may also read the apps to their right, through those
apps' selectors and their access rules (`tasks/selectors.py`, `tasks/access.py`), never their models
or views. Imports are made at the top of a module: a function-local import of another app hides a
dependency (or a cycle) from the reader and from these tests.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Left to right: each app may build on the ones above it.
ORDER = [
    "imports",
    "audit",
    "teams",
    "directory",
    "notify",
    "tasks",
    "metrics",
    "calendars",
    "api",
]
PAGE_MODULES = {"views", "urls", "admin", "tables", "filters", "forms", "management"}
# What a page may read of an app to its right.
READABLE_ACROSS = {"selectors", "access"}
# The project package (settings, root urls, middleware) is not an app; every app may use it.
PROJECT_PACKAGE = "tieju"

BASE = Path(settings.BASE_DIR)


def _modules(app, base=BASE):
    for path in sorted((base / app).rglob("*.py")):
        if "migrations" not in path.relative_to(base).parts:
            yield path


def _is_page(path, base):
    return bool(set(path.relative_to(base).with_suffix("").parts) & PAGE_MODULES)


def _imports(tree):
    """(module path, node) of every absolute import in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node


def _parse(path):
    return ast.parse(path.read_text(encoding="utf-8"))


def _crossings(app, base=BASE):
    """{file: [imported module]} of the imports of `app` that go to an app to its right and are not allowed."""
    right = set(ORDER[ORDER.index(app) + 1 :])
    found = {}
    for path in _modules(app, base):
        page = _is_page(path, base)
        for module, _node in _imports(_parse(path)):
            parts = module.split(".")
            if parts[0] not in right:
                continue
            if page and len(parts) > 1 and parts[1] in READABLE_ACROSS:
                continue
            found.setdefault(path.relative_to(base).as_posix(), []).append(module)
    return found


def test_it_orders_every_project_app():
    project_apps = {config.label for config in apps.get_app_configs() if Path(config.path).parent == BASE}
    assert sorted(ORDER) == sorted(project_apps)


@pytest.mark.parametrize("app", ORDER)
def test_it_keeps_each_app_from_reaching_to_its_right(app):
    assert _crossings(app) == {}


def test_it_finds_domain_code_and_pages_reaching_past_selectors(tmp_path):
    (tmp_path / "teams" / "views").mkdir(parents=True)
    (tmp_path / "teams" / "models.py").write_text("from tasks.selectors import active_requirements\n")
    (tmp_path / "teams" / "views" / "lists.py").write_text(
        "from tasks.selectors import active_requirements\nfrom tasks.access import is_reader\n"
        "from tasks.models import Requirement\n"
    )
    (tmp_path / "teams" / "migrations").mkdir()
    (tmp_path / "teams" / "migrations" / "0001_initial.py").write_text("import tasks.models\n")
    assert _crossings("teams", base=tmp_path) == {
        "teams/models.py": ["tasks.selectors"],
        "teams/views/lists.py": ["tasks.models"],
    }


def _local_imports(path, own):
    """The modules of other project apps that functions in `path` import."""
    found = []
    for function in ast.walk(_parse(path)):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for module, node in _imports(function):
                top = module.split(".")[0]
                if top in {*ORDER, PROJECT_PACKAGE} and top != own:
                    found.append(f"{node.lineno}: {module}")
    return found


def test_it_finds_a_function_local_import(tmp_path):
    path = tmp_path / "views.py"
    path.write_text("import tasks\n\n\ndef page(request):\n    from metrics.models import Bulletin\n    import teams\n")
    assert _local_imports(path, "tasks") == ["5: metrics.models", "6: teams"]


def test_it_finds_no_function_local_imports_of_other_apps():
    offenders = {}
    for app in [*ORDER, PROJECT_PACKAGE]:
        for path in _modules(app):
            if found := _local_imports(path, app):
                offenders[str(path.relative_to(BASE))] = found
    assert offenders == {}
