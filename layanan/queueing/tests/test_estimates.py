"""The wait estimate against a simulated day with known service times."""

from __future__ import annotations

import datetime

import pytest

from layanan.queueing.estimates import MIN_SAMPLE, minutes_per_visit, wait_minutes


def test_no_one_waiting_means_no_wait_and_no_counter_means_no_estimate() -> None:
    assert wait_minutes(0, 0, 8) == 0
    assert wait_minutes(3, 0, 8) is None
    with pytest.raises(ValueError, match="negative"):
        wait_minutes(-1, 1, 8)


def test_usual_minutes_until_enough_visits_then_the_median() -> None:
    assert minutes_per_visit([1, 2, 3, 4], usual_minutes=8) == 8.0
    assert minutes_per_visit([5, 6, 7, 100, 6], usual_minutes=8) == 6.0  # one long visit does not skew it
    assert minutes_per_visit([0, 0, 0, 0, 0, 5], usual_minutes=8) == 8.0  # zero-length visits are not visits


def _simulate(arrivals: list[int], service_minutes: int, counters: int) -> list[int]:
    """First come, first served at ``counters`` counters, each visit exactly ``service_minutes``:
    the real minutes each arrival waited (arrivals in minutes after opening)."""
    free_at = [0] * counters
    waits = []
    for arrival in arrivals:
        index = min(range(counters), key=lambda i: free_at[i])
        start = max(arrival, free_at[index])
        waits.append(start - arrival)
        free_at[index] = start + service_minutes
    return waits


@pytest.mark.parametrize("counters", [1, 2, 3])
def test_the_estimate_matches_a_simulated_day_with_known_service_times(counters: int) -> None:
    """A morning rush (20 people in the first 10 minutes), then one person every 4 minutes for four
    hours; each visit takes 6 minutes. For
    every arrival, the estimate made when they take the ticket (people ahead, the counters open,
    the median of the visits finished so far or the usual 8 minutes before there are enough)
    must be within one visit of the wait they really had, once the day has its own history."""
    service = 6
    arrivals = [minute // 2 for minute in range(20)] + [10 + 4 * step for step in range(60)]
    waits = _simulate(arrivals, service, counters)
    opened = datetime.datetime(2026, 11, 23, 8, 0)
    finished: list[float] = []
    checked = 0
    for index, arrival in enumerate(arrivals):
        now = arrival
        # Visits finished by now (start = arrival + wait), each exactly ``service`` minutes.
        finished = [
            float(service)
            for other, other_arrival in enumerate(arrivals[:index])
            if other_arrival + waits[other] + service <= now
        ]
        # People still waiting (not yet called) when this person arrives.
        ahead = sum(
            1 for other, other_arrival in enumerate(arrivals[:index]) if other_arrival + waits[other] > now
        )
        estimate = wait_minutes(ahead, counters, minutes_per_visit(finished, usual_minutes=8))
        assert estimate is not None
        if len(finished) >= MIN_SAMPLE:
            checked += 1
            assert abs(estimate - waits[index]) <= service, (opened, index, estimate, waits[index])
    assert checked >= 10
