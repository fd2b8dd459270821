"""Files of answers imported from elsewhere (问卷星 exports, spreadsheets)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class ImportBatch(db.Model):
    """One imported file; its hash makes importing the same file twice detectable."""

    __tablename__ = "import_batches"
    __table_args__ = (sa.UniqueConstraint("survey_id", "file_hash", name="uq_import_batches_survey_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    #: SHA-256 of the file's bytes.
    file_hash: Mapped[str] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(255))
    row_count: Mapped[int] = mapped_column(default=0)
    actor: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The column / value / unit mapping used (mapping-file form): the next file of the survey starts from it.
    mapping: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
