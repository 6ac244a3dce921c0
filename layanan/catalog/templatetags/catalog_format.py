"""Formatting for the public catalog pages: rupiah, durations, the labels of the standard's keys,
opening hours, and JSON-LD.

The functions are plain Python too, so views (and the JSON-LD builder) format values the same way
the templates do.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from layanan.catalog.standard import (
    COMPLAINT_CHANNEL_LABELS,
    DOCUMENT_FORM_LABELS,
    DOCUMENT_TYPE_LABELS,
    STEP_ACTOR_LABELS,
    CompletionTime,
)

register = template.Library()

# "hanya jika ...", "only if ...": the page writes these words itself, so data that already starts
# with them is not read out twice ("Hanya jika hanya jika ...").
_CONDITION_PREFIX = re.compile(r"^\s*(?:hanya\s+(?:jika|apabila|bila)|only\s+if)\b[\s:,]*", re.IGNORECASE)
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def rupiah(amount: int | None) -> str:
    """An amount in rupiah with thousands separators: ``Rp30.000`` (English: ``Rp30,000``)."""
    if amount is None:
        return ""
    grouped = f"{int(amount):,}"
    if (get_language() or "id").startswith("id"):
        grouped = grouped.replace(",", ".")
    return f"Rp{grouped}"


@register.filter
def duration(completion_time: CompletionTime | dict[str, Any] | None) -> str:
    """A completion time in words: ``5 hari kerja``, ``30 menit``, ``1 working day``."""
    if completion_time is None:
        return ""
    if isinstance(completion_time, dict):
        value, unit = int(completion_time.get("value", 0)), str(completion_time.get("unit", ""))
    else:
        value, unit = completion_time.value, str(completion_time.unit)
    if unit == "minutes":
        return ngettext("%(count)d minute", "%(count)d minutes", value) % {"count": value}
    if unit == "hours":
        return ngettext("%(count)d hour", "%(count)d hours", value) % {"count": value}
    return ngettext("%(count)d working day", "%(count)d working days", value) % {"count": value}


@register.filter
def fee_amounts(fee: Any) -> str:
    """The amounts of a paid fee in short: ``Rp30.000``, or ``Rp30.000–Rp120.000``."""
    amounts = sorted(item.amount for item in fee.items)
    if not amounts:
        return ""
    if amounts[0] == amounts[-1]:
        return rupiah(amounts[0])
    return f"{rupiah(amounts[0])}–{rupiah(amounts[-1])}"


def _label(labels: dict[str, Any], key: str | None) -> str:
    return str(labels.get(str(key), key or ""))


@register.filter
def document_type_label(key: str | None) -> str:
    return _label(DOCUMENT_TYPE_LABELS, key)


@register.filter
def document_form_label(key: str | None) -> str:
    return _label(DOCUMENT_FORM_LABELS, key)


@register.filter
def step_actor_label(key: str | None) -> str:
    return _label(STEP_ACTOR_LABELS, key)


@register.filter
def complaint_channel_label(key: str | None) -> str:
    return _label(COMPLAINT_CHANNEL_LABELS, key)


@register.filter
def condition_text(condition: str | None) -> str:
    """A requirement's condition without a leading "hanya jika"/"only if" (the page adds it)."""
    return _CONDITION_PREFIX.sub("", condition or "").strip()


def clock(value: datetime.time) -> str:
    """A time of day as Indonesian signs write it: ``08.00``."""
    return time_format(value, "H.i")


@register.filter
def opening_hours(unit: Any) -> str:
    """The weekday hours of a unit: ``Monday to Friday, 08.00–16.00`` (Saturday is said apart)."""
    return _("Monday to Friday, %(opens)s–%(closes)s") % {
        "opens": clock(unit.opens_at),
        "closes": clock(unit.closes_at),
    }


@register.filter
def jsonld(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` block, escaped like Django's ``json_script``.

    It is a data block, not a script: browsers do not run it, so the strict CSP allows it.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))
