"""Read unit files and add units to a survey."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.spreadsheet import SheetRefused, read_first_sheet
from ..domain.unit_codes import new_codes, normalise_code
from ..domain.unit_table import SHEET_LIMITS, UnitRow, UnitTable, read_unit_frame
from ..models import Survey, Unit


class UnitFileError(ValueError):
    """The file could not be read as a table."""


def read_unit_file(path: str | Path, default_min: int = 5) -> UnitTable:
    """Read a CSV (UTF-8 with or without BOM, or GBK) or XLSX unit list.

    :raises UnitFileError: when the file is not a readable table.
    """
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = _read_xlsx(path)
        else:
            frame = _read_csv(path)
    except SheetRefused as exc:
        raise UnitFileError(f"无法读取单位名单 {path.name}：{exc.message_zh}") from exc
    except (OSError, ValueError, UnicodeDecodeError, KeyError) as exc:
        raise UnitFileError(f"无法读取单位名单 {path.name}：{exc}") from exc
    return read_unit_frame(frame, default_min)


def _read_xlsx(path: Path) -> pd.DataFrame:
    """The first sheet, its first row as the header (as ``read_excel`` did), read within the unit-list limits."""
    rows = read_first_sheet(path.read_bytes(), SHEET_LIMITS)
    if not rows:
        return pd.DataFrame()
    width = max(len(row) for row in rows)
    header, seen = [], {}
    for index, name in enumerate(rows[0] + [""] * (width - len(rows[0]))):
        name = name or f"Unnamed: {index}"
        header.append(f"{name}.{seen[name]}" if name in seen else name)  # pandas' names for repeated headers
        seen[name] = seen.get(name, 0) + 1
    return pd.DataFrame([row + [""] * (width - len(row)) for row in rows[1:]], columns=header, dtype=str)


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False)
    raise UnitFileError(f"{path.name} 既不是 UTF-8 也不是 GBK 编码")


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
