"""Import rules between layers, checked on the source (what ``grep`` would check, kept)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "survey_app"
BLUEPRINTS = ("respond", "evaluate", "auth", "api")
#: Modules that know about requests, pages or commands: services never import them.
FLASK_FACING = (*BLUEPRINTS, "web", "web_filters", "errors", "cli", "transaction")


def imported_modules(path: Path) -> set[str]:
    """Absolute dotted names of the survey_app modules ``path`` imports (relative imports resolved)."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.split(".")[0] == "survey_app"}


def top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_blueprints_do_not_import_one_another(blueprint):
    offenders = [(path.name, m) for path in (PACKAGE / blueprint).rglob("*.py") for m in imported_modules(path)
                 if top(m) in BLUEPRINTS and top(m) != blueprint]
    assert offenders == []


def test_services_import_nothing_flask_facing():
    offenders = [(path.name, m) for path in (PACKAGE / "services").rglob("*.py") for m in imported_modules(path)
                 if top(m) in FLASK_FACING]
    assert offenders == []
    flask = [path.name for path in (PACKAGE / "services").rglob("*.py")
             if any(line.startswith(("from flask", "import flask")) for line in path.read_text().splitlines())]
    assert flask == []


def test_the_check_sees_relative_imports():
    """Guard the guard: a known import of the evaluate package is found."""
    assert "survey_app.services.access" in imported_modules(PACKAGE / "evaluate" / "access.py")
