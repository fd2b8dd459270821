"""``flask survey responses import``: answers from 问卷星 exports and spreadsheets.

A dry run by default (prints the report in Chinese, writes nothing); ``--commit`` imports the
checked rows or none and commits once; a file of more than ``PROGRESS_ROWS`` rows shows a progress
bar on stderr.  The decisions the upload page offers are options here:
``--choose 名称=单位`` (an accepted "是否为…" or an ambiguous name decided), ``--skip-unit 名称``,
``--outside-list`` (answers outside the unit list); they add to the mapping file, if any.
The report goes to stdout (``--json``: what the upload page gets).  One commit at the end
(``command_transaction``: an early exit, the dry run's included, rolls back).
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
@click.option("--choose", "choices", multiple=True, metavar="名称=单位",
              help="Rows naming this unit go to that listed unit (its name, 统一社会信用代码 or id); repeatable.")
@click.option("--skip-unit", "skip_units", multiple=True, metavar="名称",
              help="Do not import rows naming this unit (listed in the report and the audit log); repeatable.")
@click.option("--outside-list", is_flag=True,
              help="Import rows whose unit is not listed (or all rows, without a unit column) outside the unit list.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (what the upload page gets).")
@command_transaction()
def import_command(survey_ref: str, file: Path, mapping_path: Path | None, unit_ref: str | None,
                   do_commit: bool, choices: tuple[str, ...], skip_units: tuple[str, ...], outside_list: bool,
                   as_json: bool) -> None:
    """Check (and with --commit import) a .xlsx/.csv file of answers, one row per response."""
    survey = survey_or_exit(survey_ref)
    data = file.read_bytes()
    try:
        mapping = load_mapping(mapping_path.name, mapping_path.read_bytes()) if mapping_path else None
    except ImportFileError as exc:
        click.echo(exc.message_zh, err=True)
        sys.exit(1)
    if choices or skip_units or outside_list:
        mapping = _with_decisions(survey, mapping or {}, choices, skip_units, outside_list)
    if not do_commit:
        report = preview(db.session, survey, file.name, data, mapping, unit_ref)
        _show(report, as_json)
        sys.exit(0 if report.importable else 1)
    bar = _Progress()
    try:
        report = commit(db.session, survey, file.name, data, mapping, unit_ref, actor=cli_actor(),
                        ip_secret=current_app.config["SECRET_KEY"], progress=bar)
    except ImportRefused as exc:
        bar.close()
        _show(exc.report, as_json)
        sys.exit(1)
    bar.close()
    _show(report, as_json)


#: Files with at least this many data rows show a progress bar while checking and writing.
PROGRESS_ROWS = 5000
STAGES = {"import": "检查并写入答卷"}


class _Progress:
    """``commit``'s progress callback as a click progress bar on stderr (one bar per stage)."""

    def __init__(self):
        self.bar, self.stage, self.done = None, None, 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < PROGRESS_ROWS:
            return
        if stage != self.stage:
            self.close()
            self.bar = click.progressbar(length=total, label=STAGES[stage], file=sys.stderr, width=30,
                                         show_pos=True).__enter__()
            self.stage, self.done = stage, 0
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _with_decisions(survey, mapping: dict, choices, skip_units, outside_list) -> dict:
    """Add the command line's unit decisions to the mapping (what the upload page's choices make)."""
    from ..domain.imports import UnitRef
    from ..domain.imports.units import UnitMatcher

    matcher = UnitMatcher([UnitRef(u.id, u.name, u.credit_code) for u in survey.units])
    chosen = dict(mapping.get("unit_choices") or {})
    for item in choices:
        name, _, target = item.partition("=")
        unit = matcher.match(target.strip(), allow_id=True)
        if not name.strip() or not isinstance(unit, UnitRef):
            click.echo(f"--choose {item}：找不到单位“{target.strip()}”（写法：文件中的名称=名单中的单位名称、信用代码或编号）",
                       err=True)
            sys.exit(1)
        chosen[name.strip()] = unit.id
    mapping = dict(mapping, unit_choices=chosen, skip_units=[*(mapping.get("skip_units") or []), *skip_units])
    if outside_list:
        mapping["unknown_units"] = "other"
    return mapping


def _show(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in report_lines(report):
        click.echo(line)
