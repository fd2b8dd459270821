"""Read unit files and add units to a survey."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from ..domain.unit_table import UnitRow, UnitTable, read_unit_frame
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
            frame = pd.read_excel(path, dtype=str)
        else:
            frame = _read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UnitFileError(f"无法读取单位名单 {path.name}：{exc}") from exc
    return read_unit_frame(frame, default_min)


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
    return units
