"""Cell values: skipped markers, 所用时间, 提交答卷时间, 来自IP and option look-up.

问卷星 writes "(跳过)" for a question hidden by skip logic and "(空)" for an unanswered
one in its 按选项文本 download; its 按序号 download writes -3 (跳过) and -2 (not shown),
and 0/1 in per-option columns of multiple-choice questions.  Free text typed after an
option ("其他〖自媒体〗") is dropped before matching: only the option is stored.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..questionnaire import Question
from ..vocabulary import BEIJING
from .headers import nfkc, squash

#: Cells that mean "no answer" in every layout we read.
SKIPPED = frozenset({"", "(跳过)", "(空)", "-3", "-2", "(未填)", "(未作答)", "nan"})
#: Per-option cells meaning "ticked" / "not ticked".
TICKED = frozenset({"1", "是", "√", "✓", "y", "yes", "true", "选中", "已选"})
UNTICKED = frozenset({"0", "否", "×", "n", "no", "false", "未选", "未选中"})
#: 问卷星 joins the options of a multiple-choice answer with this character.
JOIN = "┋"
_FILL_IN = re.compile(r"[〖\[【].*?[〗\]】]")
_DURATION = re.compile(r"^(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|m|min))?\s*(?:(\d+)\s*(?:秒|s|sec))?$",
                       re.IGNORECASE)
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def tidy(value: object) -> str:
    """Return a cell as clean text: NFKC, trimmed, "1.0" (a number read by Excel) as "1"."""
    text = nfkc("" if value is None else value)
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]
    return text


def is_skipped(cell: str) -> bool:
    return cell.lower() in SKIPPED


def parse_duration(cell: str) -> int | None:
    """Read 所用时间: "125秒", "2分5秒", "1小时2分3秒", "02:05", "125" → seconds.

    :raises ValueError: on anything else (the row is reported, never guessed).
    """
    text = cell.replace(" ", "")
    if is_skipped(text):
        return None
    if text.isdigit():
        return int(text)
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        raise ValueError(cell)
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


_STAMP = re.compile(r"^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$")


def parse_beijing_time(cell: str) -> datetime:
    """Read 提交答卷时间 ("2024/5/6 9:05:03", "2024-05-06 09:05") as naive UTC.

    :raises ValueError: when the text is not a date and time.
    """
    stamp = _STAMP.match(cell.strip())
    if stamp:  # the common shapes without strptime's format loop (10⁵ rows)
        return datetime(*(int(g or 0) for g in stamp.groups())) - BEIJING
    text = re.sub(r"\s+", " ", cell.replace("/", "-").replace("年", "-").replace("月", "-").replace("日", " ")).strip()
    text = re.sub(r"(?<!\d)(\d)(?!\d)", r"0\1", text)  # 2024-5-6 9:05 → 2024-05-06 09:05
    text = text.split(".")[0]  # fractional seconds from a spreadsheet datetime
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt) - BEIJING
        except ValueError:
            continue
    raise ValueError(cell)


def split_ip(cell: str) -> str | None:
    """Return the address of 来自IP "1.2.3.4(山西-晋城)" (the place is not kept)."""
    text = re.split(r"[(（]", cell, maxsplit=1)[0].strip()
    return None if is_skipped(text) else text


def option_text(cell: str) -> str:
    """Comparable form of an option cell, without 问卷星's 〖filled-in text〗."""
    return squash(_FILL_IN.sub("", cell))


class OptionLookup:
    """Find a question's option key from a cell: by label, key or 1-based position.

    ``position`` first (按序号 files) reads integers as positions before keys; otherwise
    labels and keys come first and an integer outside the keys is read as a position only
    when ``position`` is allowed as a fallback.
    """

    def __init__(self, question: Question, extra: dict[str, str] | None = None, position: bool = False):
        self.question = question
        self.position = position
        self.by_label = {option_text(o.label): o.key for o in question.options}
        self.by_key = {squash(o.key): o.key for o in question.options}
        self.extra = {option_text(k): v for k, v in (extra or {}).items()}

    def key(self, cell: str) -> str | None:
        """Return the option key for ``cell``, or None when nothing matches."""
        text = option_text(cell)
        if text in self.extra:
            return self.extra[text]
        if self.position and text.isdigit():
            index = int(text)
            return self.question.options[index - 1].key if 1 <= index <= len(self.question.options) else None
        return self.by_label.get(text) or self.by_key.get(text)
