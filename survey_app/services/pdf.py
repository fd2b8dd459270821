"""The appendix as PDF: the .docx converted by LibreOffice headless (``soffice``), when installed.

A PDF is what a reviewer who must not edit the report receives; converting the very .docx
the evaluator would download keeps the two identical, and the rendering test checks
this same conversion.  Each run uses a throw-away LibreOffice profile, so conversions
running at the same time (two workers, two evaluators) do not lock each other out.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from ..texts_zh import report as zh

#: The LibreOffice executables tried, in order.
EXECUTABLES = ("soffice", "libreoffice")
#: A large appendix (hundreds of units, every optional part) converts in well under a minute.
TIMEOUT_SECONDS = 180


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing or the conversion failed; ``message_zh`` says what to do."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


def converter() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return next((found for name in EXECUTABLES if (found := shutil.which(name))), None)


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert .docx bytes to PDF bytes with LibreOffice headless.

    :raises PdfUnavailable: LibreOffice is not installed, failed, or took too long.
    """
    soffice = converter()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed", zh.PDF_UNAVAILABLE)
    with tempfile.TemporaryDirectory(prefix="appendix_pdf_") as work:
        folder = Path(work)
        source = folder / "appendix.docx"
        source.write_bytes(docx)
        profile = folder / f"profile_{uuid.uuid4().hex}"
        try:
            done = subprocess.run(
                [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable("LibreOffice timed out", zh.PDF_FAILED) from exc
        pdf = folder / "appendix.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise PdfUnavailable(f"LibreOffice failed: {done.stderr.decode(errors='replace')[-500:]}", zh.PDF_FAILED)
        return pdf.read_bytes()
