"""Flask commands: thin wrappers that parse, call a service and commit once."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from .domain.banks import BankError, load_bank
from .extensions import db


def init_app(app: Flask) -> None:
    from . import (
        cli_export,  # noqa: F401 - adds export to the survey group
        cli_import,  # noqa: F401 - adds responses import to the survey group
        cli_summary,  # noqa: F401 - adds summary/settings/screen to the survey group
    )
    from .cli_survey import survey_group
    from .cli_users import user_group

    app.cli.add_command(banks_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(survey_group)
    app.cli.add_command(user_group)


def unit_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/s/{token}"


def open_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/o/{token}"


@click.group("banks", help="Question banks.")
def banks_group() -> None:
    pass


@banks_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def banks_check(files: tuple[Path, ...]) -> None:
    """Validate bank files (default: every question_banks/*.yaml); exit 1 on any problem."""
    from .services.demo import bank_dir

    paths = files or tuple(sorted(bank_dir().glob("*.yaml")))
    failed = False
    for path in paths:
        try:
            questionnaire = load_bank(path)
        except BankError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(f"ERROR {problem}", err=True)
            continue
        click.echo(f"ok    {path.name}: {len(questionnaire.questions)} questions, "
                   f"{len(questionnaire.scored_questions)} scored, hash {questionnaire.content_hash()[:12]}")
    if failed:
        sys.exit(1)


@click.command("demo")
@click.option("--links", default=5, show_default=True, help="How many unit links to print.")
@click.option("--sample-answers", default=0, show_default=True,
              help="When creating the survey, also add this many synthetic answers (source 'import').")
def demo_command(links: int, sample_answers: int) -> None:
    """Create the demo survey (once) and print where to click."""
    from .services.demo import add_sample_answers, ensure_demo

    survey, created, duplicates = ensure_demo(db.session)
    if created and sample_answers:
        add_sample_answers(db.session, survey, sample_answers)
        click.echo(f"  added {sample_answers} synthetic answers (marked as imported demo data)")
    db.session.commit()
    click.echo(("Created" if created else "Found") + f" demo survey #{survey.id}: {survey.name}")
    if duplicates:
        click.echo(f"  merged duplicate unit rows (same enterprise, several awards): lines {duplicates}")
    click.echo(f"  units: {len(survey.units)}, status: {survey.status}")
    click.echo(f"  open link (respondent picks the unit): {open_url(survey.open_token)}")
    for unit in survey.units[:links]:
        click.echo(f"  {unit.name}: {unit_url(unit.token)}")
    click.echo(f"  all links: flask --app wsgi survey links {survey.id} -o links.csv")
    if current_app.config["APP_ENV"] != "production":
        from .services.demo import ensure_demo_account

        username, password = ensure_demo_account(db.session, Path(current_app.instance_path), survey)
        db.session.commit()
        click.echo(f"Evaluator workspace: {current_app.config['PUBLIC_BASE_URL']}/manage/  "
                   f"(user {username}, password {password}; development only)")


def write_links(survey, out) -> None:
    """Write one CSV row per unit: 序号, 单位名称, 县（市、区）, 类别, 最少有效份数, 链接."""
    writer = csv.writer(out)
    writer.writerow(["序号", "单位名称", "县（市、区）", "类别", "最少有效份数", "链接"])
    for unit in survey.units:
        writer.writerow([unit.seq, unit.name, unit.county, unit.category, unit.min_valid, unit_url(unit.token)])
