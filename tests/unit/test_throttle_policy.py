"""The login throttle's arithmetic: free failures, then doubling waits up to a cap."""

from datetime import datetime, timedelta

from survey_app.domain.throttle import ADDRESS, MAX_DELAY, PAIR, Policy, seconds_left


def test_waits_double_after_the_free_failures_and_stop_at_the_cap():
    policy = Policy(free=5, forget_after=timedelta(hours=1))
    assert [policy.delay(n) for n in range(5)] == [None] * 5
    assert [policy.delay(n).total_seconds() for n in range(5, 12)] == [1, 2, 4, 8, 16, 32, 64]
    assert policy.delay(15) == policy.delay(10_000) == MAX_DELAY == timedelta(minutes=15)


def test_the_address_ceiling_is_far_above_the_per_account_limit():
    assert PAIR.free == 5 and ADDRESS.free >= 20 * PAIR.free


def test_seconds_left_rounds_up_and_is_never_zero():
    now = datetime(2026, 1, 1, 8)
    assert seconds_left(now + timedelta(seconds=1.2), now) == 2
    assert seconds_left(now, now) == 1
