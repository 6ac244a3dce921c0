from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from layanan.workdays.forms import year_form_for
from layanan.workdays.models import Holiday
from layanan.workdays.queries import holidays_in_year


@require_GET
def public_holidays(request: HttpRequest) -> HttpResponse:
    """The year's national holidays and cuti bersama: the days government offices are closed."""
    year_form = year_form_for(request.GET)
    year = year_form.year()
    holidays = list(holidays_in_year(year))
    return render(
        request,
        "workdays/public/holiday_list.html",
        {
            "year": year,
            "year_form": year_form,
            "national": [h for h in holidays if h.kind == Holiday.Kind.NATIONAL],
            "cuti_bersama": [h for h in holidays if h.kind == Holiday.Kind.CUTI_BERSAMA],
        },
    )
