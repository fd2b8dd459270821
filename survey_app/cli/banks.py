"""``flask banks …``: check bank files, list the bank library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..domain.banks import BankError, load_bank


@click.group("banks", help="Question banks.")
def banks_group() -> None:
    pass


@banks_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def banks_check(files: tuple[Path, ...]) -> None:
    """Validate bank files (default: every question_banks/*.yaml); exit 1 on any problem."""
    from ..services.demo import bank_dir

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


@banks_group.command("list")
def banks_list() -> None:
    """List the bank library: the built-in files, then the banks saved or uploaded in the workspace."""
    from ..extensions import db
    from ..services.bank_library import list_banks
    from ..texts_zh import labels

    for e in list_banks(db.session):
        owner = f"  {e.owner_name}" if e.owner_name else ""
        click.echo(f"{e.ref:28} {labels.BANK_SOURCE[e.source]}  {e.title}（版本 {e.version}）  "
                   f"{e.question_count} questions, {e.scored_count} scored{owner}")
