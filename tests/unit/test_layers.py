"""The layers of docs/architecture.md, enforced: what each package of survey_app may import.

A small AST walk, no dependency: every ``import`` / ``from … import`` in survey_app/**.py
(including those inside functions) is resolved to a module name and checked against the rule
of the importing module's layer.  A module that fits no layer fails too: a new package needs
its rule written down first (docs/architecture.md, "Layers", and ``LAYERS`` below).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "survey_app"
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
BLUEPRINTS = ("respond", "evaluate", "auth", "api")
WEB_HELPERS = ("web", "web_filters", "input_guard", "errors", "transaction", "serve")
FLASK = ("flask", "flask_*", "werkzeug")


@dataclass(frozen=True)
class Rule:
    """What modules of one layer may import.

    ``internal``: survey_app modules allowed (a name covers its submodules); ``third_party``:
    ``None`` allows any non-stdlib package except ``forbidden``, a tuple allows only those;
    ``excepted``: dotted modules allowed although their package is forbidden.  Patterns ending
    in ``*`` match a prefix of the top-level package (``flask_*``).
    """

    says: str
    internal: tuple[str, ...]
    third_party: tuple[str, ...] | None = None
    forbidden: tuple[str, ...] = ()
    excepted: tuple[str, ...] = ()
    #: Imports under ``if TYPE_CHECKING:`` are not checked (annotations only, no runtime import).
    typing_exempt: bool = False


LAYERS: dict[str, Rule] = {
    "domain": Rule("pure Python: stdlib, numpy, pandas, openpyxl, yaml, jieba, the domain and the text catalogue",
                   internal=("domain", "texts_zh"), third_party=("numpy", "pandas", "openpyxl", "yaml", "jieba")),
    "texts_zh": Rule("the text catalogue: stdlib and domain.vocabulary only",
                     internal=("texts_zh", "domain.vocabulary"), third_party=(), typing_exempt=True),
    "models": Rule("models: the domain, the text catalogue, extensions and other models; no request context",
                   internal=("models", "domain", "texts_zh", "extensions"), forbidden=("flask", "werkzeug")),
    "reports": Rule("reports take data and return bytes: no Flask, no SQLAlchemy, no models or services",
                    internal=("reports", "domain", "texts_zh"), forbidden=(*FLASK, "sqlalchemy")),
    "services": Rule("services take a session: no Flask (request, session, current_app), no web layer or CLI",
                     internal=("services", "domain", "texts_zh", "models", "reports", "extensions"),
                     # Password hashing is a pure function that happens to ship with werkzeug.
                     forbidden=("flask", "flask_*", "werkzeug", "click"), excepted=("werkzeug.security",)),
    **{name: Rule("a blueprint calls services; never another blueprint or the CLI",
                  internal=(name, "services", "domain", "texts_zh", "models", "reports", "extensions",
                            "web", "web_filters", "forms", "transaction"))
       for name in BLUEPRINTS},
    "cli": Rule("commands call services; never a blueprint",
                internal=("cli", "services", "domain", "texts_zh", "models", "reports", "extensions", "transaction")),
    "config": Rule("configuration reads the environment: stdlib only", internal=("config",), third_party=()),
    "extensions": Rule("extension objects only: no survey_app module", internal=("extensions",)),
    **{name: Rule("helpers shared by the blueprints: never a blueprint or the CLI",
                  internal=("domain", "texts_zh", "models", "services", "extensions", *WEB_HELPERS))
       for name in WEB_HELPERS},
    "__init__": Rule("the app factory wires everything together", internal=("",)),
}
UNPLACED = Rule("a module in no layer: write its package's rule in docs/architecture.md and LAYERS first",
                internal=())


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    layer: str
    rule: Rule

    def __str__(self) -> str:
        return f"{self.path}:{self.line} → {self.imported} ({self.layer}: {self.rule.says})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """``survey_app.services.summary`` → ``services``; ``survey_app`` → ``__init__``."""
    parts = module.split(".")
    if parts == ["survey_app"]:
        return "__init__"
    return parts[1] if parts[1] in LAYERS else None


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(tree: ast.Module, module: str, is_package: bool, typing_exempt: bool):
    """Yield ``(line, dotted name)`` for every import, relative ones resolved against ``module``."""
    skipped: set[int] = set()
    if typing_exempt:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}:
                skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:  # `from . import views` imports a module, not a name
                candidate = f"{source}.{alias.name}"
                yield node.lineno, candidate if source.startswith("survey_app") and is_module(candidate) else source


def matches(name: str, patterns: tuple[str, ...]) -> bool:
    top = name.split(".")[0]
    return any(top.startswith(p[:-1]) if p.endswith("*") else top == p for p in patterns)


def allowed(rule: Rule, imported: str) -> bool:
    if imported == "survey_app" or imported.startswith("survey_app."):
        inside = imported.removeprefix("survey_app").removeprefix(".")
        return any(name == "" or inside == name or inside.startswith(name + ".") for name in rule.internal)
    if imported.split(".")[0] in STDLIB:
        return True
    if any(imported == name or imported.startswith(name + ".") for name in rule.excepted):
        return True
    if matches(imported, rule.forbidden):
        return False
    return rule.third_party is None or matches(imported, rule.third_party)


def check_source(path: str, module: str, source: str, is_package: bool = False) -> list[Violation]:
    """Return the imports of one module that break its layer's rule."""
    layer = layer_of(module)
    if layer is None:
        return [Violation(path, 1, module, "no layer", UNPLACED)]
    rule = LAYERS[layer]
    tree = ast.parse(source)
    found = dict.fromkeys((line, name) for line, name in imported_modules(tree, module, is_package, rule.typing_exempt)
                          if not allowed(rule, name))
    return [Violation(path, line, name, layer, rule) for line, name in found]


def all_violations() -> list[Violation]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "static" in path.relative_to(PACKAGE).parts:
            continue
        found += check_source(str(path.relative_to(ROOT)), module_name(path), path.read_text(encoding="utf-8"),
                              is_package=path.name == "__init__.py")
    return found


def test_every_module_imports_only_what_its_layer_allows():
    violations = all_violations()  # the failure message lists each one: file:line → module (rule)
    if violations:
        pytest.fail("layer rules broken (docs/architecture.md, Layers):\n" + "\n".join(map(str, violations)), pytrace=False)


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("survey_app.domain.x", "import flask", ["flask"]),
    ("survey_app.domain.x", "from sqlalchemy import select", ["sqlalchemy"]),
    ("survey_app.domain.x", "import numpy as np\nfrom .. import texts_zh\nfrom ..texts_zh.labels import X", []),
    ("survey_app.domain.x", "def f():\n    from ..services import summary", ["survey_app.services.summary"]),
    ("survey_app.texts_zh.x", "from ..domain.vocabulary import States", []),
    ("survey_app.texts_zh.x", "from ..domain.questionnaire import Question", ["survey_app.domain.questionnaire"]),
    ("survey_app.texts_zh.x", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..domain.questionnaire import Q",
     []),
    ("survey_app.reports.x", "from flask import current_app", ["flask"]),
    ("survey_app.reports.x", "from ..models import Survey", ["survey_app.models"]),
    ("survey_app.services.x", "from flask import request", ["flask"]),
    ("survey_app.services.x", "from ..web import BEIJING", ["survey_app.web"]),
    ("survey_app.services.x", "from ..domain.vocabulary import BEIJING\nfrom ..models import Survey", []),
    ("survey_app.services.x", "from werkzeug.security import check_password_hash", []),
    ("survey_app.services.x", "from werkzeug.utils import secure_filename", ["werkzeug.utils"]),
    ("survey_app.evaluate.views_x", "from ..api.views import parse_filter", ["survey_app.api.views"]),
    ("survey_app.evaluate.views_x", "from ..cli.common import x", ["survey_app.cli.common"]),
    ("survey_app.evaluate.views_x", "from . import bp\nfrom ..services import summary\nfrom ..web import x", []),
    ("survey_app.cli.x", "from ..evaluate.access import load_survey", ["survey_app.evaluate.access"]),
    ("survey_app.config", "import flask", ["flask"]),
    ("survey_app.newpackage.x", "import os", ["survey_app.newpackage.x"]),
])
def test_the_checker_sees_what_the_rules_forbid(module, source, expected):
    assert [v.imported for v in check_source("x.py", module, source)] == expected
