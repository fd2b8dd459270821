"""Question banks saved or uploaded in the workspace (the built-in ones are files).

The YAML text is the bank: it is what was uploaded (comments kept) or what a survey's
questionnaire dumped to, and it is parsed again, by the one validator, whenever a survey
starts from it. The other columns repeat what the list page shows, so listing the library
never parses every bank.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class QuestionBank(db.Model):
    __tablename__ = "question_banks"
    __table_args__ = (sa.Index("ix_question_banks_owner", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The bank's own ``id`` key (``industrial_fund`` …): a survey started from it records it as ``bank_id``.
    bank_key: Mapped[str] = mapped_column(sa.String(100))
    title: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[str] = mapped_column(sa.String(50))
    #: The bank as YAML (UTF-8 text), valid when stored.
    yaml_text: Mapped[str] = mapped_column(sa.Text)
    #: Items a respondent answers (matrix rows count one each), and how many of them are scored.
    question_count: Mapped[int]
    scored_count: Mapped[int]
    #: Who saved or uploaded it: only they (or an admin) may delete it. NULL once the account is gone.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
