"""Import answers collected elsewhere (问卷星 exports, spreadsheets): pure reading and checking.

No Flask, no SQLAlchemy: ``ImportReader`` turns a DataFrame of strings into checked rows and
an ``ImportReport``; ``services.imports`` reads the file, writes the rows and screens them.
Supported layouts and the mapping-file format: docs/imports.md.
"""

from ...texts_zh.imports import report_lines
from .mapping import ColumnUse, MappingError, MappingSpec, Unmapped
from .reader import ImportReader, ImportRow
from .report import ImportReport
from .units import UnitRef

__all__ = ["ColumnUse", "ImportReader", "ImportReport", "ImportRow", "MappingError", "MappingSpec", "UnitRef",
           "Unmapped", "report_lines"]
