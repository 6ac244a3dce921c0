"""How long until someone taking a ticket now is called. Pure: no ORM.

Rule: a line with ``waiting`` people ahead, served by ``counters`` open counters that each take
``minutes_per_visit`` on average, empties at ``counters / minutes_per_visit`` people a minute, so
the wait is ``ceil(waiting × minutes_per_visit / counters)`` minutes (0 when nobody waits). The
minutes per visit are the median of the day's finished visits of that line (from call to finish),
once at least ``MIN_SAMPLE`` visits are finished; before that, the line's usual minutes. With no
counter open there is no estimate (``None``): nobody can say when a counter will open.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

MIN_SAMPLE = 5


def minutes_per_visit(recent_durations: Sequence[float], usual_minutes: float) -> float:
    """The median of the recent visits (minutes), or the usual minutes with too few of them."""
    durations = [value for value in recent_durations if value > 0]
    if len(durations) < MIN_SAMPLE:
        return float(usual_minutes)
    return float(statistics.median(durations))


def wait_minutes(waiting: int, counters: int, per_visit: float) -> int | None:
    if waiting < 0 or per_visit < 0:
        raise ValueError("waiting and minutes per visit cannot be negative")
    if waiting == 0:
        return 0
    if counters <= 0:
        return None
    return math.ceil(waiting * per_visit / counters)
