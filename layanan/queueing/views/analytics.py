"""The MPP manager's analytics (``/petugas/antrean/<site>/analitik/``): waiting and service times,
no-shows and tickets per line, per counter and per hour for a range of days, a bar chart of the
tickets per hour, and the same figures as CSV. For the staff of the site's operating unit and
platform administrators (``permissions.can_manage_site``)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_required
from layanan.queueing import analytics as stats
from layanan.queueing import permissions
from layanan.queueing.models import Site

CHART_WIDTH = 300  # the longest bar, in the SVG's units
CHART_ROW = 28


class RangeForm(forms.Form):
    """The days to read (a GET form); empty fields take the last 30 days up to today."""

    dari = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the first day."),
            "invalid": _("Enter the first day as a date."),
        },
    )
    sampai = forms.DateField(
        label=_("Until (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter the last day as a date.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date):
            if start > end:
                self.add_error(
                    "sampai",
                    forms.ValidationError(_("The last day is before the first day."), code="date_order"),
                )
            elif (end - start).days + 1 > stats.MAX_DAYS:
                self.add_error(
                    "sampai",
                    forms.ValidationError(
                        _("Choose at most %(days)s days."), code="too_long", params={"days": stats.MAX_DAYS}
                    ),
                )
        return cleaned


def _range_form(request: AuthenticatedHttpRequest) -> RangeForm:
    """The form bound to the request, an empty field taking its default (so it shows the days)."""
    start, end = stats.default_range()
    data = {
        "dari": str(request.GET.get("dari", "")).strip(),
        "sampai": str(request.GET.get("sampai", "")).strip(),
    }
    if not data["sampai"]:
        data["sampai"] = end.isoformat()
    if not data["dari"]:
        data["dari"] = start.isoformat()
    return RangeForm(data)


def _site(request: AuthenticatedHttpRequest, site_slug: str) -> Site:
    site = stats.site_for_analytics(site_slug)
    if site is None:
        raise Http404(site_slug)
    if not permissions.can_manage_site(request.user, site):
        raise PermissionDenied
    return site


def _bars(rows: list[stats.HourRow]) -> list[dict[str, Any]]:
    """The chart's rows: position, bar length (scaled to the busiest hour) and the number."""
    most = max((row.figures.taken for row in rows), default=0)
    return [
        {
            "hour": row.hour,
            "taken": row.figures.taken,
            "y": index * CHART_ROW,
            "width": round(row.figures.taken * CHART_WIDTH / most) if most else 0,
        }
        for index, row in enumerate(rows)
    ]


def _render(
    request: AuthenticatedHttpRequest, site: Site, form: RangeForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"site": site, "form": form, "report": None}
    if status == 200:
        report = stats.report(site, form.cleaned_data["dari"], form.cleaned_data["sampai"])
        bars = _bars(report.hours)
        context.update(
            report=report,
            bars=bars,
            chart_height=max(len(bars), 1) * CHART_ROW + 8,
            query=urlencode({"dari": report.start.isoformat(), "sampai": report.end.isoformat()}),
        )
    response = render(request, "queueing/staff/analytics.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_required
def analytics(request: AuthenticatedHttpRequest, site_slug: str) -> HttpResponse:
    site = _site(request, site_slug)
    form = _range_form(request)
    if not form.is_valid():
        return _render(request, site, form, status=400)
    return _render(request, site, form)


def _number(value: float | None, places: int) -> str:
    """A figure for the CSV: dot decimals, empty when there is none."""
    return "" if value is None else f"{value:.{places}f}"


def _cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


CSV_HEADER = [
    "kind",
    "key",
    "name",
    "taken",
    "called",
    "served",
    "no_show",
    "no_show_rate",
    "avg_wait_minutes",
    "avg_service_minutes",
]


def _csv_row(kind: str, key: str, name: str, numbers: stats.Figures, *, taken: bool = True) -> list[str]:
    return [
        kind,
        _cell(key),
        _cell(name),
        str(numbers.taken) if taken else "",
        str(numbers.called),
        str(numbers.served),
        str(numbers.no_show),
        _number(numbers.no_show_rate, 4),
        _number(numbers.avg_wait, 2),
        _number(numbers.avg_service, 2),
    ]


@require_GET
@staff_required
def analytics_csv(request: AuthenticatedHttpRequest, site_slug: str) -> HttpResponse:
    """The page's figures, one row per line, counter and hour (``kind``); counts and minutes only,
    nobody's name."""
    site = _site(request, site_slug)
    form = _range_form(request)
    if not form.is_valid():
        return _render(request, site, form, status=400)
    report = stats.report(site, form.cleaned_data["dari"], form.cleaned_data["sampai"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in report.lines:
        writer.writerow(_csv_row("line", line.group.prefix, line.group.name, line.figures))
    for desk in report.counters:
        writer.writerow(_csv_row("counter", str(desk.number), "", desk.figures, taken=False))
    for hour in report.hours:
        writer.writerow(_csv_row("hour", str(hour.hour), f"{hour.hour:02d}:00", hour.figures))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"antrean-{site.slug}-{report.start.isoformat()}-{report.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
