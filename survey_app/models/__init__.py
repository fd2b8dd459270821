"""Typed SQLAlchemy models, one module per aggregate."""

from .response import Answer, Response
from .survey import Survey
from .unit import Unit

__all__ = ["Answer", "Response", "Survey", "Unit"]
