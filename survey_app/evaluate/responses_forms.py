"""Forms of the response review: list filters from the query string, decision and paper forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..domain.vocabulary import ALL_STATUSES, FlagCode, Source
from ..services.review import NO_UNIT, REASON_MAX_LENGTH, ReviewFilter

#: Query-string names of the list filters, in the order they appear in URLs.
FILTER_KEYS = ("unit", "status", "flag", "source", "from", "to")


def parse_filters(args: Mapping[str, str], unit_ids: Iterable[int]) -> ReviewFilter:
    """Read the filters from the query string; unknown values are ignored, not errors.

    Filters live in the URL so a list can be bookmarked or sent to a colleague; a link
    that names a deleted unit or a mistyped date should still open, just unfiltered.
    """
    unit: int | str | None = None
    raw_unit = (args.get("unit") or "").strip()
    if raw_unit == NO_UNIT:
        unit = NO_UNIT
    elif raw_unit.isdigit() and int(raw_unit) in set(unit_ids):
        unit = int(raw_unit)
    return ReviewFilter(
        unit=unit,
        status=_choice(args.get("status"), ALL_STATUSES),
        flag=_choice(args.get("flag"), tuple(FlagCode)),
        source=_choice(args.get("source"), tuple(Source)),
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
    )


def filter_args(flt: ReviewFilter, **changes) -> dict[str, str]:
    """Return the query-string arguments for ``flt`` (with ``changes``), without empty ones."""
    values = {
        "unit": flt.unit, "status": flt.status, "flag": flt.flag, "source": flt.source,
        "from": flt.date_from.isoformat() if flt.date_from else None,
        "to": flt.date_to.isoformat() if flt.date_to else None,
    }
    values.update(changes)
    return {k: str(v) for k, v in values.items() if v not in (None, "")}


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10**6 else 1


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class DecisionForm(FlaskForm):
    """Exclude or restore one response: the reason is required and goes to the audit log."""

    reason = TextAreaField("理由", validators=[
        DataRequired("请填写理由：剔除或恢复答卷都须说明原因"),
        Length(max=REASON_MAX_LENGTH, message=f"理由请控制在{REASON_MAX_LENGTH}字以内"),
    ])
    submit = SubmitField("确定")


class PaperForm(FlaskForm):
    """The unit of a keyed-in paper questionnaire; the answers are read as ``q_*`` fields."""

    #: Checked by the service together with the answers, so every problem shows at once.
    unit = SelectField("填写单位", validate_choice=False)
    submit = SubmitField("保存这份问卷")
