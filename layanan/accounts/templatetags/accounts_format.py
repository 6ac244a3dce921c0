from __future__ import annotations

import datetime
import math

from django import template

register = template.Library()


@register.filter
def in_minutes(value: datetime.timedelta) -> int:
    """A duration in whole minutes, rounded up (``timedelta(minutes=15)`` -> 15)."""
    return math.ceil(value.total_seconds() / 60)
