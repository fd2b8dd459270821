"""``flask survey …``: create surveys, import units, list links, write the distribution sheet."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..domain.banks import BankError, load_bank
from ..domain.unit_table import merge_duplicates
from ..extensions import db
from ..reports.links_csv import write_links
from ..services.distribution import cards, sheet_docx
from ..services.surveys import SurveyStateError, create_survey, open_survey
from ..services.units import UnitFileError, add_units, read_unit_file
from ..transaction import command_transaction
from .common import base_url, beijing, cli_actor, open_link, survey_or_exit


@click.group("survey", help="Surveys.")
def survey_group() -> None:
    pass


@survey_group.command("create")
@click.option("--bank", "bank_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="Survey name shown to respondents.")
@click.option("--project", default="", help="项目名称")
@click.option("--department", default="", help="主管部门")
@click.option("--year", type=int, help="评价年度")
@click.option("--indicator-code", default="", help="e.g. D41")
@click.option("--indicator-name", default="", help="e.g. 奖补对象满意度")
@click.option("--indicator-weight", type=float, help="points, e.g. 6")
@click.option("--min-valid", default=5, show_default=True, help="Default minimum valid answers per unit.")
@click.option("--opens", help="Opening time, Beijing time 'YYYY-MM-DD HH:MM'.")
@click.option("--closes", help="Closing time, Beijing time 'YYYY-MM-DD HH:MM'.")
@click.option("--open/--draft", "open_now", default=False, help="Open for answers now (default: stay draft).")
@command_transaction()
def create_command(bank_path, name, project, department, year, indicator_code, indicator_name,
                   indicator_weight, min_valid, opens, closes, open_now) -> None:
    """Create a survey from a bank file."""
    try:
        questionnaire = load_bank(bank_path)
        window = {"opens_at": beijing(opens), "closes_at": beijing(closes)}
    except BankError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except ValueError as exc:
        click.echo(f"Bad date: {exc}", err=True)
        sys.exit(2)
    survey = create_survey(
        db.session, questionnaire, name=name, project_name=project, department=department, eval_year=year,
        indicator_code=indicator_code, indicator_name=indicator_name, indicator_weight=indicator_weight,
        default_min_valid=min_valid, **window,
    )
    if open_now:
        try:
            open_survey(db.session, survey)
        except SurveyStateError as exc:  # e.g. a bank without a scored item: nothing is created
            click.echo(str(exc), err=True)
            sys.exit(1)
    click.echo(f"Created survey #{survey.id} ({survey.status}): {survey.name}")
    click.echo(f"  open link: {open_link(survey.open_token)}")


@survey_group.group("units", help="Units of a survey.")
def units_group() -> None:
    pass


@units_group.command("import")
@click.argument("survey_ref")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--duplicates", type=click.Choice(["refuse", "merge", "keep"]), default="refuse", show_default=True,
              help="Rows naming the same unit: refuse the file, merge them into one unit, or keep each row.")
@command_transaction()
def units_import(survey_ref: str, file: Path, duplicates: str) -> None:
    """Import units from CSV (UTF-8 or GBK) or XLSX; nothing is written if the file has errors."""
    survey = survey_or_exit(survey_ref)
    try:
        table = read_unit_file(file, default_min=survey.default_min_valid)
    except UnitFileError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for header, field in table.columns.items():
        click.echo(f"  column {header!r} → {field}")
    for error in table.errors:
        click.echo(f"ERROR {error}", err=True)
    for lines in table.duplicates:
        names = {r.name for r in table.rows if r.line in lines}
        click.echo(f"DUPLICATE lines {lines}: {'、'.join(sorted(names))}", err=True)
    if table.errors or (table.duplicates and duplicates == "refuse"):
        hint = " (choose --duplicates merge or keep)" if table.duplicates and not table.errors else ""
        click.echo(f"Nothing imported{hint}.", err=True)
        sys.exit(1)
    rows = merge_duplicates(table.rows) if duplicates == "merge" else table.rows
    units = add_units(db.session, survey, rows)
    click.echo(f"Imported {len(units)} units into survey #{survey.id}.")


@survey_group.command("links")
@click.argument("survey_ref")
@click.option("-o", "--output", type=click.File("wb"), default="-",
              help="CSV file (UTF-8 with BOM for Excel); default stdout.")
def links_command(survey_ref: str, output) -> None:
    """Print or save every unit's link as CSV."""
    write_links(output, cards(survey_or_exit(survey_ref), base_url()))


@survey_group.command("sheet")
@click.argument("survey_ref")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help=".docx file to write.")
@command_transaction()
def sheet_command(survey_ref: str, output: Path) -> None:
    """Write the distribution sheet (.docx: one card per unit with QR code, link, deadline, contact); audited."""
    survey = survey_or_exit(survey_ref)
    output.write_bytes(sheet_docx(db.session, survey, base_url(), cli_actor()))
    click.echo(f"Wrote {output} ({len(survey.units)} cards).")
