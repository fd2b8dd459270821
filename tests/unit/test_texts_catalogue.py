"""The text catalogue labels every code, and the templates and scripts spell labels through it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from survey_app.domain.vocabulary import (
    DECISIONS,
    AccountRole,
    Availability,
    FlagAction,
    FlagCode,
    MemberRole,
    ResponseStatus,
    Source,
    SurveyState,
)
from survey_app.texts_zh import labels

APP = Path(__file__).resolve().parents[2] / "survey_app"
TEMPLATES = sorted((APP / "templates").rglob("*.html"))
SCRIPTS = sorted((APP / "static").glob("*.js"))  # our own scripts, not static/vendor


@pytest.mark.parametrize(("enum", "table"), [
    (SurveyState, labels.SURVEY_STATE),
    (Availability, labels.AVAILABILITY),
    (ResponseStatus, labels.STATUS),
    (Source, labels.SOURCE),
    (FlagCode, labels.FLAG),
    (FlagAction, labels.FLAG_ACTION),
])
def test_every_member_has_a_label(enum, table):
    assert set(table) == set(enum)
    assert all(isinstance(table[m], str) and table[m].strip() for m in enum)
    # One word per concept: two codes of the same kind never share a label.
    assert len(set(table.values())) == len(table)


def test_the_lookup_helpers_read_the_tables_and_show_unknown_codes():
    for m in ResponseStatus:
        assert labels.status(m) == labels.status(str(m)) == labels.STATUS[m]
    for m in Source:
        assert labels.source(str(m)) == labels.SOURCE[m]
    for m in FlagCode:
        assert labels.flag(str(m)) == labels.FLAG[m]
    for m in SurveyState:
        assert labels.survey_state(str(m)) == labels.SURVEY_STATE[m]
    assert labels.status("bogus") == "bogus" and labels.audit_action("bogus") == "bogus"


def test_the_agreed_words():
    assert labels.STATUS[ResponseStatus.FLAGGED] == "存疑"
    assert labels.STATUS[ResponseStatus.EXCLUDED] == "剔除"
    assert labels.FLAGS_FIELD == "筛查结果"
    assert labels.FLAG_ACTION[FlagAction.FLAG] == "标记为存疑"


def test_decisions_and_roles_have_labels():
    assert set(labels.DECISION) == set(DECISIONS)
    assert set(labels.ROLE) == set(AccountRole)
    assert set(labels.MEMBER_ROLE) == set(MemberRole)


#: Audit actions written as literals in the code (``"unit.add"``, ``"export"`` …); table
#: names in foreign keys (``"units.id"``) look alike and are left out.
ACTION_LITERAL = re.compile(r'"((?:survey|settings|response|responses|unit|units)\.[a-z_]+|export)"')


def test_every_audit_action_the_code_records_has_a_label():
    recorded = set()
    for path in (APP / "services").rglob("*.py"):
        recorded |= set(ACTION_LITERAL.findall(path.read_text(encoding="utf-8")))
    for path in (APP / "evaluate").rglob("views*.py"):
        recorded |= set(ACTION_LITERAL.findall(path.read_text(encoding="utf-8")))
    recorded = {a for a in recorded if not a.endswith(".id")}
    assert {"survey.open", "response.exclude", "unit.token", "export"} <= recorded  # the scan works
    assert recorded <= set(labels.AUDIT_ACTION)
    assert len(set(labels.AUDIT_ACTION.values())) == len(labels.AUDIT_ACTION)


CODES = "|".join(re.escape(c) for c in sorted(
    {str(m) for e in (SurveyState, ResponseStatus, Source, FlagCode, FlagAction) for m in e}
    | set(AccountRole) | set(MemberRole) | set(labels.AUDIT_ACTION)))
#: ``{"valid": …``, ``'draft': …``, ``"unit.add": …``: a label map written in a template.
LITERAL_MAP = re.compile(rf"""[{{,]\s*["']({CODES})["']\s*:""")
#: ``status == "closed"``: a state or status compared with a literal instead of ``vocab``.
LITERAL_COMPARISON = re.compile(r"""(status|decision|source|action)\s*[!=]=\s*["'][a-z_]+["']""")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(APP / "templates")))
def test_templates_hold_no_label_maps_or_code_literals(path):
    text = path.read_text(encoding="utf-8")
    assert not LITERAL_MAP.findall(text), "labels belong in texts_zh.labels (the Jinja global texts)"
    assert not LITERAL_COMPARISON.findall(text), "compare with vocab.SurveyState / vocab.ResponseStatus …"
    assert not re.search(r"\b[A-Z]+_ZH\b", text), "no template-local label tables"


@pytest.mark.parametrize("path", TEMPLATES + SCRIPTS, ids=lambda p: p.name)
def test_a_flagged_response_is_never_called_marked(path):
    """“标记” was the old word for 存疑; the catalogue's “标记为存疑” reaches pages only through it."""
    assert "标记" not in path.read_text(encoding="utf-8")
