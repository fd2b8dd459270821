"""What counts as one open answer, and what counts as no answer at all.

Two answers are the same opinion when they are equal after trimming spaces and the
punctuation at their ends ("资金拨付慢。" and "资金拨付慢"); the first form seen is shown.
A non-answer ("无", "没有意见", "满意", "好") says nothing a report could quote: it is
counted apart and never listed.
"""

from __future__ import annotations

import re
import unicodedata

_TRIM = re.compile(r"^[\s　]+|[\s　。．.！!；;，,、…~～]+$")
#: Everything that is not a letter or digit: what is left decides whether an answer says anything.
_NOT_WORD = re.compile(r"[\W_]+")
#: Whole answers that say nothing: "无", "暂无意见", "没有什么建议了", "都挺好的", "非常满意" …
_NON_ANSWER = re.compile(
    r"^(?:"
    r"(?:暂时|暂|目前|基本|基本上|都|本单位|我单位|我们)?(?:无|没有|没|莫得|无任何|没有任何)"
    r"(?:什么|任何|其他|其它|别的|更多|太多|特别|具体)?(?:的)?"
    r"(?:意见|建议|意见建议|意见和建议|建议和意见|问题|看法|要求|不满意|不满)?(?:的)?(?:了|啦)?"
    r"|(?:很|挺|非常|都|都很|都挺|比较|总体|总体上|整体|一切|一切都|十分|特别)?"
    r"(?:好|满意|不错|很好|挺好|可以|还行|还好|满意的|没问题)(?:的)?(?:了|啦)?"
    r"|不知道|不清楚|不了解|说不清|同上|略|否|na|n/a|null|none|no|ok"
    r")$",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Return the form two answers are compared in: NFKC, trimmed of spaces and end punctuation."""
    return _TRIM.sub("", unicodedata.normalize("NFKC", text or ""))


def is_non_answer(text: str) -> bool:
    """Tell whether ``text`` says nothing quotable (empty, punctuation, "无", "满意" …)."""
    core = _NOT_WORD.sub("", normalise(text))
    return not core or core.isdigit() or bool(_NON_ANSWER.match(core))
