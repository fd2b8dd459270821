"""Helpers every command group shares: finding a survey, reading Beijing times, link URLs."""

from __future__ import annotations

import getpass
import sys
from datetime import datetime

import click
from flask import current_app

from ..domain.vocabulary import from_beijing
from ..extensions import db
from ..services.distribution import open_url, unit_url
from ..services.surveys import get_survey


def survey_or_exit(ref: str):
    """Return the survey named by id or exact name, or stop the command with exit code 2."""
    survey = get_survey(db.session, ref)
    if survey is None:
        click.echo(f"No survey {ref!r} (give its id or exact name).", err=True)
        sys.exit(2)
    return survey


def beijing(value: str | None) -> datetime | None:
    """Parse 'YYYY-MM-DD HH:MM' given in Beijing time into naive UTC."""
    if not value:
        return None
    return from_beijing(datetime.fromisoformat(value))


def cli_actor() -> str:
    """Who did it, for the audit log: the operating-system user running the command."""
    return f"cli:{getpass.getuser()}"


def base_url() -> str:
    """The public base of links leaving the app (``PUBLIC_BASE_URL``)."""
    return current_app.config["PUBLIC_BASE_URL"]


def unit_link(token: str) -> str:
    return unit_url(base_url(), token)


def open_link(token: str) -> str:
    return open_url(base_url(), token)
