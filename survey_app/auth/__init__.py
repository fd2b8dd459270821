"""Evaluator sign-in: login, logout, change password."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/manage")

from . import views  # noqa: E402,F401 - routes register on import
