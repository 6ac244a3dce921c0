"""Isolation only: the calendar's per-process memory must not leak from one test to the next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from layanan.workdays.queries import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    cache.clear()
    clear_calendar_cache()
    yield
    cache.clear()
    clear_calendar_cache()
