"""Numbers inside score rules: reading, checking and printing them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .errors import RuleError
from .numbers import Number, plain, round2


def json_number(value: Decimal) -> int | float:
    """Return an int for whole numbers, else a float, for stored rule dicts."""
    return int(value) if value == value.to_integral_value() else float(value)


def displayed_satisfaction(satisfaction: Number) -> Decimal:
    """Round a satisfaction to the 2 decimals a rule compares, refusing values outside 0..100."""
    value = round2(satisfaction)
    if not 0 <= value <= 100:
        raise RuleError(
            f"satisfaction must lie in 0..100; got {satisfaction}",
            f"满意度须在0至100之间：{satisfaction}",
        )
    return value


def pct(value: Decimal) -> str:
    """Format a satisfaction as printed: two decimals."""
    return f"{value:.2f}"


def check_target(
    weight: Decimal, target: Decimal, extra: Mapping[str, Decimal | None] | None = None
) -> None:
    """Refuse a non-positive weight, a target outside (0, 100] or a floor/k out of range."""
    if weight <= 0:
        raise RuleError(
            f"weight must be positive; got {weight}",
            f"指标分值须大于0：{plain(weight)}",
        )
    if not 0 < target <= 100:
        raise RuleError(
            f"target must lie in (0, 100]; got {target}",
            f"目标值须大于0且不超过100：{plain(target)}",
        )
    extra = extra or {}
    floor = extra.get("floor")
    if floor is not None and not 0 <= floor <= target:
        raise RuleError(
            f"floor must lie in [0, target]; got {floor}",
            f"不得分下限须在0至目标值之间：{plain(floor)}",
        )
    per_point = extra.get("per_point")
    if per_point is not None and per_point <= 0:
        raise RuleError(
            f"per_point must be positive; got {per_point}",
            f"每百分点扣分须大于0：{plain(per_point)}",
        )


def to_decimal(value: Any, name: str) -> Decimal:
    """Read a rule number (int, float, Decimal or numeric string) exactly as typed.

    :raises RuleError: for booleans, non-numbers, NaN or infinities.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            number = Decimal("NaN")
    else:
        number = Decimal("NaN")
    if not number.is_finite():
        raise RuleError(
            f"{name} must be a number; got {value!r}",
            f"规则中的{name}须为数字：{value!r}",
        )
    return number


def normalise(rule: object, names: tuple[str, ...]) -> None:
    """Convert a frozen rule's numeric fields to Decimal in place."""
    for name in names:
        value = getattr(rule, name)
        if value is not None:
            object.__setattr__(rule, name, to_decimal(value, name))
