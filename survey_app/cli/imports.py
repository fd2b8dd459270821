"""``flask survey responses import``: answers from 问卷星 exports and spreadsheets.

A dry run by default (prints the report, writes nothing); ``--commit`` imports all rows or
none and commits once (``command_transaction``: an early exit, the dry run's included, rolls back).
Exit status: 0 importable / imported, 1 problems, 2 no such survey.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app

from ..domain.imports import report_lines
from ..extensions import db
from ..services.imports import (
    ImportFileError,
    ImportRefused,
    commit,
    load_mapping,
    preview,
)
from ..transaction import command_transaction
from .common import cli_actor, survey_or_exit
from .survey import survey_group


@survey_group.group("responses", help="Responses of a survey.")
def responses_group() -> None:
    pass


@responses_group.command("import")
@click.argument("survey_ref")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML/JSON file: columns → questions, cell texts → options (docs/imports.md).")
@click.option("--unit", "unit_ref", help="Put every row into this unit (name, 统一社会信用代码 or id).")
@click.option("--commit", "do_commit", is_flag=True, help="Really import (default: dry run, nothing written).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (what the upload page gets).")
@command_transaction()
def import_command(survey_ref: str, file: Path, mapping_path: Path | None, unit_ref: str | None,
                   do_commit: bool, as_json: bool) -> None:
    """Check (and with --commit import) a .xlsx/.csv file of answers, one row per response."""
    survey = survey_or_exit(survey_ref)
    data = file.read_bytes()
    try:
        mapping = load_mapping(mapping_path.name, mapping_path.read_bytes()) if mapping_path else None
    except ImportFileError as exc:
        click.echo(exc.message_zh, err=True)
        sys.exit(1)
    if not do_commit:
        report = preview(db.session, survey, file.name, data, mapping, unit_ref)
        _show(report, as_json)
        sys.exit(0 if report.importable else 1)
    try:
        report = commit(db.session, survey, file.name, data, mapping, unit_ref, actor=cli_actor(),
                        ip_secret=current_app.config["SECRET_KEY"])
    except ImportRefused as exc:
        _show(exc.report, as_json)
        sys.exit(1)
    _show(report, as_json)


def _show(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in report_lines(report):
        click.echo(line)
