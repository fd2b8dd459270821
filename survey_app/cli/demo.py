"""``flask demo``: the demo survey, and where to click."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from ..extensions import db
from ..transaction import command_transaction
from .common import open_link, unit_link


@click.command("demo")
@click.option("--links", default=5, show_default=True, help="How many unit links to print.")
@click.option("--sample-answers", default=0, show_default=True,
              help="When creating the survey, also add this many synthetic answers (source 'import').")
def demo_command(links: int, sample_answers: int) -> None:
    """Create the demo survey (once) and print where to click."""
    from ..services.demo import add_sample_answers, ensure_demo

    with command_transaction():
        survey, created, duplicates = ensure_demo(db.session)
        if created and sample_answers:
            add_sample_answers(db.session, survey, sample_answers)
            click.echo(f"  added {sample_answers} synthetic answers (marked as imported demo data)")
    click.echo(("Created" if created else "Found") + f" demo survey #{survey.id}: {survey.name}")
    if duplicates:
        click.echo(f"  merged duplicate unit rows (same enterprise, several awards): lines {duplicates}")
    click.echo(f"  units: {len(survey.units)}, status: {survey.status}")
    click.echo(f"  open link (respondent picks the unit): {open_link(survey.open_token)}")
    for unit in survey.units[:links]:
        click.echo(f"  {unit.name}: {unit_link(unit.token)}")
    click.echo(f"  all links: flask --app wsgi survey links {survey.id} -o links.csv")
    if current_app.config["APP_ENV"] != "production":
        from ..services.demo import ensure_demo_account

        with command_transaction():
            username, password = ensure_demo_account(db.session, Path(current_app.instance_path), survey)
        click.echo(f"Evaluator workspace: {current_app.config['PUBLIC_BASE_URL']}/manage/  "
                   f"(user {username}, password {password}; development only)")
