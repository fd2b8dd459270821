"""``flask survey export``: the Word appendix (or its PDF), the data workbook or the CSV of a survey."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..domain.report_settings import DEFAULT_SECTIONS, OPTIONAL_SECTIONS
from ..domain.vocabulary import COUNTED, ResponseStatus
from ..extensions import db
from ..services.exports import FORMATS, ExportError, export_survey
from ..services.pdf import PdfUnavailable
from ..services.summary import SummaryFilter
from ..transaction import command_transaction
from .common import beijing, cli_actor, survey_or_exit
from .survey import survey_group


def parse_sections(value: str | None) -> frozenset[str] | None:
    """``sample,groups`` → frozenset; ``all`` / ``none``; None → the survey's report settings."""
    if value is None:
        return None
    value = value.strip().lower()
    if value == "all":
        return frozenset(OPTIONAL_SECTIONS)
    if value in ("", "none"):
        return frozenset()
    return frozenset(part.strip() for part in value.split(",") if part.strip())


@survey_group.command("export")
@click.argument("survey_ref")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="docx, pdf (the docx through LibreOffice), xlsx or csv.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write.")
@click.option("--include-flagged/--valid-only", default=True, show_default=True,
              help="Count flagged (not excluded) responses, as the dashboard does by default.")
@click.option("--sections", help=f"Optional appendix parts: {','.join(OPTIONAL_SECTIONS)}, 'all' or 'none' "
                                 f"(default: the survey's report settings, else {','.join(DEFAULT_SECTIONS)}).")
@click.option("--unit", "unit_ids", multiple=True, type=int, help="Only this unit id (repeatable).")
@click.option("--since", help="Submitted from, Beijing time 'YYYY-MM-DD[ HH:MM]' (inclusive).")
@click.option("--until", help="Submitted before, Beijing time 'YYYY-MM-DD[ HH:MM]' (exclusive).")
@click.option("--raw-counted-only", is_flag=True, help="原始数据 without excluded responses (xlsx/csv).")
@command_transaction()
def export_command(survey_ref, fmt, output, include_flagged, sections, unit_ids, since, until,
                   raw_counted_only) -> None:
    """Write the appendix (.docx), the data workbook (.xlsx) or the raw data (.csv); audited."""
    survey = survey_or_exit(survey_ref)
    try:
        flt = SummaryFilter(statuses=COUNTED if include_flagged else (ResponseStatus.VALID,),
                            unit_ids=tuple(unit_ids) or None, since=beijing(since), until=beijing(until))
    except ValueError as exc:
        click.echo(f"Bad date: {exc}", err=True)
        sys.exit(2)
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as out:
            result = export_survey(db.session, survey, fmt, out, actor=cli_actor(), flt=flt,
                                   sections=parse_sections(sections), raw_all_statuses=not raw_counted_only)
    except ExportError as exc:
        partial.unlink(missing_ok=True)
        click.echo(f"Not exported: {exc}", err=True)
        sys.exit(2)
    except PdfUnavailable as exc:
        partial.unlink(missing_ok=True)
        click.echo(f"Not exported: {exc}. {exc.message_zh}", err=True)
        sys.exit(3)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    rows = f", {result.rows} rows" if result.rows is not None else ""
    click.echo(f"Wrote {output} ({output.stat().st_size} bytes{rows}); fingerprint {result.fingerprint}")
