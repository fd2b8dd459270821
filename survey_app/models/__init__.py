"""Typed SQLAlchemy models, one module per aggregate."""

from .audit import AuditEvent
from .imports import ImportBatch
from .response import Answer, Response
from .survey import Survey
from .unit import Unit
from .user import LoginAttempt, SurveyMember, User

__all__ = ["Answer", "AuditEvent", "ImportBatch", "LoginAttempt", "Response", "Survey", "SurveyMember", "Unit", "User"]
