"""Login throttling policy: how long a (account, address) pair or an address must wait.

Pure arithmetic; ``services.accounts`` keeps the counters in the database.  A throttle
slows guessing down instead of locking an account: after ``free`` failures each further
attempt must wait twice as long as the one before (1 s, 2 s, 4 s …), up to ``MAX_DELAY``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

#: The longest wait between two attempts, however many failures came before.
MAX_DELAY = timedelta(minutes=15)


@dataclass(frozen=True)
class Policy:
    """``free`` failures cost nothing; the count restarts after ``forget_after`` without a failure."""

    free: int
    forget_after: timedelta

    def delay(self, failures: int) -> timedelta | None:
        """Return how long the next attempt must wait after ``failures`` failures (None: no wait)."""
        if failures < self.free:
            return None
        exponent = min(failures - self.free, 30)  # 2**30 s is far beyond the cap already
        return min(timedelta(seconds=2 ** exponent), MAX_DELAY)


#: One account from one address: five free tries, then 1 s, 2 s, 4 s … up to 15 min.
PAIR = Policy(free=5, forget_after=timedelta(hours=24))
#: One address across all accounts: a generous ceiling against password spraying only, so
#: that a whole office behind one NAT address is not slowed down by a few typos.
ADDRESS = Policy(free=100, forget_after=timedelta(hours=1))


def seconds_left(until: datetime, now: datetime) -> int:
    """Whole seconds (at least 1) until ``until``: what a 429 answer tells the user to wait."""
    return max(1, math.ceil((until - now).total_seconds()))
