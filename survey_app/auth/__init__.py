"""Evaluator sign-in: login, logout, change password."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/manage")

from . import views  # noqa: F401 - routes register on import
