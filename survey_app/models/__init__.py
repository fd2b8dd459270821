"""Typed SQLAlchemy models, one module per aggregate."""

from .api_token import ApiToken
from .audit import AuditEvent
from .bank import QuestionBank
from .imports import ImportBatch
from .opinion import OpinionBoard
from .response import Answer, Response
from .survey import Survey
from .unit import Unit
from .user import LoginThrottle, SurveyMember, User

__all__ = ["Answer", "ApiToken", "AuditEvent", "ImportBatch", "LoginThrottle", "OpinionBoard", "QuestionBank",
           "Response", "Survey", "SurveyMember", "Unit", "User"]
