"""Respondents' blueprint: the questionnaire on phones, reached through a link token."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from . import views, views_done  # noqa: F401 - routes register on import
