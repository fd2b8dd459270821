"""The bank library: built-in bank files and the banks saved or uploaded in the workspace.

Built-in banks are the files in ``question_banks/`` (shipped with the service, read-only
here); stored banks live in ``question_banks`` rows as YAML text. Both are addressed by one
reference string (``builtin:<file>`` / ``stored:<id>``), so a page or a form names any bank
the same way. Every bank that enters the library passes the one validator
(``domain.banks.parse_bank``) and is parsed again when a survey starts from it.

Access follows the workspace's account roles: admins and evaluators save, upload and
delete (an evaluator only their own banks, an admin any); viewers list and download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.bank_dump import dump_yaml
from ..domain.banks import BankError, BankProblem, load_bank, parse_bank
from ..domain.questionnaire import Questionnaire
from ..domain.vocabulary import AccountRole, BankSource
from ..models import QuestionBank, Survey, User
from ..texts_zh import bank_library as zh
from ..texts_zh import banks as zh_banks
from .access import CREATOR_ROLES
from .audit import record
from .demo import bank_dir

#: Column widths of ``question_banks``: a longer title, version or id is a problem of the upload.
LIMITS = {"id": 100, "title": 200, "version": 50}


class BankAccessError(PermissionError):
    """The user may not change this bank (or any bank); ``message_zh`` is shown as is."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class BankEntry:
    """One bank of the library, as the list page and the new-survey form show it."""

    ref: str
    source: BankSource
    bank_key: str
    title: str
    version: str
    question_count: int
    scored_count: int
    #: The built-in file's name, or the name a stored bank is downloaded under.
    filename: str
    stored_id: int | None = None
    owner_id: int | None = None
    owner_name: str = ""
    created_at: datetime | None = None


def can_edit_banks(user: User) -> bool:
    """Admins and evaluators save and upload banks; viewers only read."""
    return user.role in CREATOR_ROLES


def can_delete_bank(user: User, entry: BankEntry) -> bool:
    """A stored bank may be deleted by whoever saved it, or by an admin; built-in ones never."""
    if entry.source is not BankSource.STORED or not can_edit_banks(user):
        return False
    return user.role == AccountRole.ADMIN or entry.owner_id == user.id


def builtin_banks() -> list[BankEntry]:
    """The valid bank files, by file name (a broken file is reported by ``flask banks check``, not offered)."""
    entries = []
    for path in sorted(bank_dir().glob("*.yaml")):
        try:
            q = load_bank(path)
        except BankError:
            continue
        entries.append(BankEntry(f"{BankSource.BUILTIN}:{path.name}", BankSource.BUILTIN, q.id, q.title, q.version,
                                 len(q.questions), len(q.scored_questions), path.name))
    return entries


def stored_banks(session: Session) -> list[BankEntry]:
    """Banks saved or uploaded in the workspace, newest first."""
    rows = session.execute(
        sa.select(QuestionBank, User.username).outerjoin(User, User.id == QuestionBank.owner_id)
        .order_by(QuestionBank.created_at.desc(), QuestionBank.id.desc())
    ).all()
    return [_entry(row, username or "") for row, username in rows]


def list_banks(session: Session) -> list[BankEntry]:
    """The whole library: built-in banks first, then the stored ones."""
    return builtin_banks() + stored_banks(session)


def get_bank(session: Session, ref: str) -> BankEntry | None:
    """Return the bank a reference names, or None (unknown, deleted, or not a reference at all)."""
    source, _, name = (ref or "").partition(":")
    if source == BankSource.BUILTIN:
        return next((e for e in builtin_banks() if e.filename == name), None)
    if source == BankSource.STORED and name.isdigit():
        row = session.get(QuestionBank, int(name))
        if row is None:
            return None
        owner = session.get(User, row.owner_id) if row.owner_id else None
        return _entry(row, owner.username if owner else "")
    return None


def bank_yaml(session: Session, entry: BankEntry) -> str:
    """The bank's YAML text: the file as shipped, or the text stored (an upload keeps its comments)."""
    if entry.source is BankSource.BUILTIN:
        return (bank_dir() / entry.filename).read_text(encoding="utf-8")
    return session.get(QuestionBank, entry.stored_id).yaml_text


def bank_questionnaire(session: Session, entry: BankEntry) -> Questionnaire:
    """Parse the bank for a new survey.

    :raises BankError: should the bank no longer pass the validator (its rules grew stricter).
    """
    return parse_bank(bank_yaml(session, entry), entry.filename)


def save_survey_as_bank(session: Session, survey: Survey, user: User, title: str, version: str,
                        actor: str) -> QuestionBank:
    """Store the survey's questionnaire as a bank titled ``title``, version ``version``; audited; flush.

    :raises BankAccessError: for a viewer account.
    :raises BankError: when the questionnaire does not dump to a valid bank, or title/version are too long.
    """
    _check_may_edit(user)
    questionnaire = replace(survey.questionnaire, title=title.strip(), version=version.strip())
    text = dump_yaml(questionnaire)
    row = _store(session, parse_bank(text, _download_name(questionnaire.id, questionnaire.version)), text, user)
    record(session, survey, actor, "bank.save", None, _audit_after(row))
    session.flush()
    return row


def upload_bank(session: Session, user: User, filename: str, data: bytes, actor: str) -> QuestionBank:
    """Validate an uploaded YAML bank and store it as sent; audited; flush.

    :raises BankAccessError: for a viewer account.
    :raises BankError: listing every problem, worded as ``flask banks check`` prints them.
    """
    _check_may_edit(user)
    filename = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "bank.yaml"
    if not data.strip():
        raise BankError([BankProblem(filename, zh_banks.FILE, zh.EMPTY_FILE)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankError([BankProblem(filename, zh_banks.FILE, zh_banks.UNREADABLE.format(detail=exc))]) from exc
    row = _store(session, parse_bank(text, filename), text, user, filename)
    record(session, None, actor, "bank.upload", None, {**_audit_after(row), "file": filename})
    session.flush()
    return row


def delete_bank(session: Session, entry: BankEntry, user: User, actor: str) -> None:
    """Delete a stored bank; audited; flush. Surveys started from it keep their own frozen copy.

    :raises BankAccessError: for a built-in bank, a viewer, or an evaluator's bank of someone else.
    """
    if entry.source is BankSource.BUILTIN:
        raise BankAccessError(zh.BUILTIN_READ_ONLY)
    _check_may_edit(user)
    if not can_delete_bank(user, entry):
        raise BankAccessError(zh.NOT_OWN_BANK)
    row = session.get(QuestionBank, entry.stored_id)
    record(session, None, actor, "bank.delete", _audit_after(row), None)
    session.delete(row)
    session.flush()


def _check_may_edit(user: User) -> None:
    if not can_edit_banks(user):
        raise BankAccessError(zh.READ_ONLY)


def _store(session: Session, q: Questionnaire, text: str, user: User, filename: str = "") -> QuestionBank:
    too_long = [BankProblem(filename or _download_name(q.id, q.version), zh_banks.FILE,
                            zh.TOO_LONG.format(key=key, limit=limit))
                for key, limit, value in ((k, n, getattr(q, k)) for k, n in LIMITS.items()) if len(value) > limit]
    if too_long:
        raise BankError(too_long)
    row = QuestionBank(bank_key=q.id, title=q.title, version=q.version, yaml_text=text,
                       question_count=len(q.questions), scored_count=len(q.scored_questions), owner_id=user.id)
    session.add(row)
    session.flush()
    return row


def _entry(row: QuestionBank, owner_name: str) -> BankEntry:
    return BankEntry(f"{BankSource.STORED}:{row.id}", BankSource.STORED, row.bank_key, row.title, row.version,
                     row.question_count, row.scored_count, _download_name(row.bank_key, row.version),
                     row.id, row.owner_id, owner_name, row.created_at)


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _download_name(bank_key: str, version: str) -> str:
    """``<id>-<version>.yaml`` in file-name-safe characters (a bank id is free text)."""
    stem = "-".join(p for p in (_UNSAFE.sub("_", bank_key).strip("._"), _UNSAFE.sub("_", version).strip("._")) if p)
    return f"{stem or 'bank'}.yaml"


def _audit_after(row: QuestionBank) -> dict:
    return {"bank": row.id, "id": row.bank_key, "title": row.title, "version": row.version}
