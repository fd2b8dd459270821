"""Short unit codes: what a respondent types at the open link when a long URL came on paper.

Six characters from an alphabet without the look-alikes 0/O, 1/I/L (and without "-"), so
a code read off a printed card is typed right the first time: 31⁶ ≈ 8.9 × 10⁸ codes. A code
names a unit only within its survey and only at that survey's open link, which already lets
anyone pick any listed unit, so it grants nothing the open link does not.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6


def new_codes(count: int, taken: Iterable[str] = ()) -> list[str]:
    """Return ``count`` random codes, distinct from each other and from ``taken``."""
    seen = set(taken)
    codes = []
    while len(codes) < count:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


def normalise_code(text: str) -> str | None:
    """Read a typed code: full-width, lower case, spaces and dashes forgiven; None if not a code."""
    code = "".join(unicodedata.normalize("NFKC", text or "").upper().split()).replace("-", "")
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None
