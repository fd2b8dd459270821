"""Uploads waiting between "check" and "confirm": files under instance/uploads/, never the database.

Unit lists and answer files share this stash.  Each upload is a few files named
``<kind>-<random id>.<part>``; its ``meta`` records the survey and the user, and
``load`` returns nothing for anyone else (or for an id of the wrong shape), so an id
seen in a URL is useless to other accounts.  Every ``save`` prunes uploads older than a
day; a confirmed import ``discard``s its upload, so a repeated confirm finds nothing.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

#: Uploads never confirmed are deleted after this long (checked on every new upload).
MAX_AGE_SECONDS = 24 * 3600
_ID = re.compile(r"[A-Za-z0-9_-]{16,40}")
_KIND = re.compile(r"[a-z]{2,12}")


def save(folder: Path, kind: str, survey_id: int, user_id: int, meta: dict[str, Any],
         parts: dict[str, bytes] | None = None) -> str:
    """Keep ``meta`` (JSON-ready) and the byte ``parts``; return the upload's id."""
    assert _KIND.fullmatch(kind)
    folder.mkdir(parents=True, exist_ok=True)
    prune(folder)
    upload_id = secrets.token_urlsafe(18)
    for name, data in (parts or {}).items():
        assert _KIND.fullmatch(name) and name != "json"
        (folder / f"{kind}-{upload_id}.{name}").write_bytes(data)
    record = {"survey_id": survey_id, "user_id": user_id, "parts": sorted(parts or {}), "meta": meta}
    (folder / f"{kind}-{upload_id}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return upload_id


def update(folder: Path, kind: str, upload_id: str, meta: dict[str, Any]) -> None:
    """Replace an upload's ``meta`` (a changed mapping); its owner was checked by ``load``."""
    path = folder / f"{kind}-{upload_id}.json"
    if _ID.fullmatch(upload_id) and path.is_file():
        record = json.loads(path.read_text(encoding="utf-8"))
        record["meta"] = meta
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def load(folder: Path, kind: str, upload_id: str, survey_id: int,
         user_id: int) -> tuple[dict[str, Any], dict[str, bytes]] | None:
    """Return (meta, parts) if the upload exists and belongs to this survey and user, else None."""
    path = folder / f"{kind}-{upload_id}.json"
    if not _ID.fullmatch(upload_id or "") or not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if (record["survey_id"], record["user_id"]) != (survey_id, user_id):
        return None
    parts = {}
    for name in record["parts"]:
        part = folder / f"{kind}-{upload_id}.{name}"
        if not part.is_file():
            return None
        parts[name] = part.read_bytes()
    return record["meta"], parts


def discard(folder: Path, kind: str, upload_id: str) -> None:
    if _ID.fullmatch(upload_id or ""):
        for path in folder.glob(f"{kind}-{upload_id}.*"):
            path.unlink(missing_ok=True)


def prune(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*-*.*"):
        with contextlib.suppress(FileNotFoundError):  # another request may prune at the same time
            if path.stat().st_mtime < cutoff:
                path.unlink()
