"""``flask survey report-settings``: the appendix's report settings, with defaults and their source."""

from __future__ import annotations

import sys

import click

from ..domain.scoring import ScoringError
from ..extensions import db
from ..services.report_settings import resolved_report, update_report_settings
from ..services.surveys import SurveyStateError
from ..transaction import command_transaction
from .common import cli_actor, survey_or_exit
from .survey import survey_group

LISTS = ("purpose", "sections", "breakdowns")
KEYS = ("purpose", "population", "platform", "issued", "sampling_population", "contact", "sections", "breakdowns")


def parse_report_assignments(assignments: tuple[str, ...]) -> dict:
    """``issued=140`` · ``sections=sample,groups`` · ``purpose=A|B`` (aspects split on |); empty: the default."""
    changes: dict = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or key not in KEYS:
            raise ValueError(f"cannot read {item!r}: use KEY=VALUE with KEY one of {', '.join(KEYS)}")
        raw = raw.strip()
        if key in ("sections", "breakdowns"):
            value = None if raw.lower() == "default" else [p.strip() for p in raw.split(",") if p.strip()]
        elif key == "purpose":
            value = [p.strip() for p in raw.split("|") if p.strip()]
        elif key == "sampling_population":
            value = int(raw) if raw.isdigit() else (raw or None)
        else:
            value = raw or None
        changes[key] = value
    return changes


@survey_group.command("report-settings")
@click.argument("survey_ref")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="issued=140, sampling_population=28, population=…, platform=…, contact=…, "
                   "purpose=A|B, sections=sample,groups,opinions, breakdowns=county,attribute:申报专项 "
                   "(an empty value or 'default' goes back to the default; repeatable).")
@command_transaction()
def report_settings_command(survey_ref: str, assignments: tuple[str, ...]) -> None:
    """Show (and change) the report settings: each value, and where it came from; changes are audited."""
    survey = survey_or_exit(survey_ref)
    if assignments:
        try:
            update_report_settings(db.session, survey, parse_report_assignments(assignments), cli_actor())
        except (ScoringError, SurveyStateError, ValueError) as exc:
            click.echo(f"Not changed: {getattr(exc, 'message_zh', None) or exc}", err=True)
            sys.exit(1)
    for key, resolved in resolved_report(db.session, survey).items():
        value = "；".join(map(str, resolved.value)) if isinstance(resolved.value, list) else resolved.value
        click.echo(f"{key}: {value if value is not None else '—'}  〔{resolved.source}〕")
