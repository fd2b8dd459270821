"""``flask user …``: accounts from the command line (the first admin is made here)."""

from __future__ import annotations

import sys

import click

from ..domain.vocabulary import AccountRole, MemberRole
from ..extensions import db
from ..models import User
from ..services.access import grant
from ..services.accounts import AccountError, create_user
from ..services.audit import record
from ..transaction import command_transaction
from .common import survey_or_exit


@click.group("user", help="Evaluator accounts.")
def user_group() -> None:
    pass


@user_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in AccountRole]), default=AccountRole.EVALUATOR.value, show_default=True)
@click.option("--name", "display_name", default="", help="Display name.")
@click.password_option(help="Prompted (hidden) when not given; at least 10 characters.")
@command_transaction()
def create_command(username: str, role: str, display_name: str, password: str) -> None:
    """Create an account."""
    try:
        user = create_user(db.session, username, password, role, display_name)
    except AccountError as exc:
        click.echo(f"Not created: {exc.message_zh}", err=True)
        sys.exit(1)
    click.echo(f"Created {user.role} {user.username}.")


@user_group.command("grant")
@click.argument("username")
@click.argument("survey_ref")
@click.option("--role", type=click.Choice([r.value for r in MemberRole]), default=MemberRole.VIEWER.value, show_default=True)
@command_transaction()
def grant_command(username: str, survey_ref: str, role: str) -> None:
    """Give a user access to a survey."""
    survey = survey_or_exit(survey_ref)
    user = db.session.scalars(db.select(User).where(User.username == username)).first()
    if user is None:
        click.echo(f"No user {username!r}.", err=True)
        sys.exit(2)
    grant(db.session, survey, user, role)
    record(db.session, survey, "cli", "survey.member", None, {"user": username, "role": role})
    click.echo(f"{username} is now {role} of survey #{survey.id}.")
