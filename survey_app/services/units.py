"""Read unit files and add units to a survey."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.unit_codes import new_codes, normalise_code
from ..domain.unit_table import UnitRow, UnitTable
from ..models import Survey, Unit


class UnitFileError(ValueError):
    """The file could not be read as a table."""


def read_unit_file(path: str | Path, default_min: int = 5) -> UnitTable:
    """Read a CSV (UTF-8 with or without BOM, or GBK) or XLSX unit list exactly as the upload page does.

    Same pipeline (``unit_import.read_upload``: decoding, title rows above the header) and the
    same recognised headers (``unit_import.default_mapping``).
    :raises UnitFileError: when the file is not a readable table.
    """
    from .unit_import import ImportProblem, Upload, check_columns, default_mapping, read_upload

    path = Path(path)
    try:
        header_line, headers, rows = read_upload(path.name, path.read_bytes())
    except ImportProblem as exc:
        raise UnitFileError(exc.message_zh) from exc
    except OSError as exc:
        raise UnitFileError(f"无法读取单位名单 {path.name}：{exc}") from exc
    upload = Upload("", 0, 0, path.name, header_line, headers, rows)
    return check_columns(upload, default_mapping(headers), default_min)



def add_units(session: Session, survey: Survey, rows: list[UnitRow]) -> list[Unit]:
    """Add one unit per row (each with a fresh token) and flush."""
    units = [
        Unit(
            survey_id=survey.id,
            seq=row.seq,
            name=row.name,
            category=row.category,
            county=row.county,
            credit_code=row.credit_code,
            attributes=row.attributes,
            min_valid=row.min_valid if row.min_valid is not None else survey.default_min_valid,
        )
        for row in rows
    ]
    session.add_all(units)
    session.flush()
    assign_codes(session, survey, units)
    return units


def assign_codes(session: Session, survey: Survey, units: list[Unit]) -> None:
    """Give each unit without one a short code, unique in its survey (``domain.unit_codes``); flush."""
    missing = [u for u in units if not u.short_code]
    if not missing:
        return
    taken = session.scalars(sa.select(Unit.short_code).where(Unit.survey_id == survey.id,
                                                             Unit.short_code.is_not(None))).all()
    for unit, code in zip(missing, new_codes(len(missing), taken), strict=True):
        unit.short_code = code
    session.flush()


def unit_by_code(session: Session, survey: Survey, typed: str) -> Unit | None:
    """The survey's unit with the typed short code, or None (a wrong or malformed code)."""
    code = normalise_code(typed)
    if code is None:
        return None
    return session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id, Unit.short_code == code)).first()
