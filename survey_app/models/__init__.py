"""Typed SQLAlchemy models, one module per aggregate."""

from .audit import AuditEvent
from .response import Answer, Response
from .survey import Survey
from .unit import Unit

__all__ = ["Answer", "AuditEvent", "Response", "Survey", "Unit"]
