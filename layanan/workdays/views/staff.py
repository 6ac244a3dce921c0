from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layanan.accounts.models import ServiceUnit
from layanan.workdays import actions
from layanan.workdays.forms import ClosureForm, HolidayForm, YearForm, year_form_for
from layanan.workdays.permissions import (
    KIND_SLUGS,
    can_manage_holidays,
    get_closure_for_user,
    get_holiday_for_user,
    holiday_url_slug,
    units_for_closures,
    verified_staff_required,
)
from layanan.workdays.queries import closures_in_year, holidays_in_year


def _year(request: HttpRequest) -> tuple[int, YearForm]:
    year_form = year_form_for(request.GET)
    return year_form.year(), year_form


def _back_to(name: str, year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?tahun={year}")


def _render_holidays(
    request: HttpRequest, year: int, year_form: YearForm, form: HolidayForm | None
) -> HttpResponse:
    can_manage = can_manage_holidays(request.user)
    rows = [
        {
            "holiday": holiday,
            "remove_url": reverse(
                "workdays:holiday-remove",
                args=[holiday.date.isoformat(), KIND_SLUGS[holiday.kind], holiday_url_slug(holiday)],
            )
            if can_manage
            else "",
        }
        for holiday in holidays_in_year(year)
    ]
    if can_manage and form is None:
        form = HolidayForm()
    context = {"year": year, "year_form": year_form, "rows": rows, "form": form if can_manage else None}
    return render(request, "workdays/staff/holiday_list.html", context)


@verified_staff_required
@require_GET
def holiday_list(request: HttpRequest) -> HttpResponse:
    year, year_form = _year(request)
    return _render_holidays(request, year, year_form, None)


@verified_staff_required
@require_POST
def holiday_add(request: HttpRequest) -> HttpResponse:
    if not can_manage_holidays(request.user):
        raise PermissionDenied
    form = HolidayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            holiday = actions.add_holiday(
                actor=request.user,
                on=data["date"],
                name=data["name"],
                kind=data["kind"],
                legal_source=data["legal_source"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was added to the calendar.") % {"name": holiday.name})
            return _back_to("workdays:holiday-list", holiday.date.year)
    year = form.cleaned_data["date"].year if "date" in form.cleaned_data else timezone.localdate().year
    return _render_holidays(request, year, YearForm(initial={"tahun": year}), form)


@verified_staff_required
@require_POST
def holiday_remove(request: HttpRequest, on: date, kind: str, name: str) -> HttpResponse:
    holiday = get_holiday_for_user(request.user, on, kind, name)
    actions.remove_holiday(holiday, actor=request.user)
    messages.success(request, _("%(name)s was removed from the calendar.") % {"name": holiday.name})
    return _back_to("workdays:holiday-list", on.year)


def _managed_units(request: HttpRequest) -> list[ServiceUnit]:
    units = list(units_for_closures(request.user))
    if not units:
        raise PermissionDenied("Only unit heads and platform administrators manage closures.")
    return units


def _render_closures(
    request: HttpRequest, units: list[ServiceUnit], year: int, year_form: YearForm, form: ClosureForm | None
) -> HttpResponse:
    today = timezone.localdate()
    rows: list[dict[str, Any]] = [
        {
            "closure": closure,
            # Closures in the past are history: deadlines were counted with them.
            "remove_url": reverse(
                "workdays:closure-remove",
                args=[closure.unit.agency.slug, closure.unit.slug, closure.date.isoformat()],
            )
            if closure.date >= today
            else "",
        }
        for closure in closures_in_year(units_for_closures(request.user), year)
    ]
    context = {
        "year": year,
        "year_form": year_form,
        "rows": rows,
        "form": form or ClosureForm(units=units),
    }
    return render(request, "workdays/staff/closure_list.html", context)


@verified_staff_required
@require_GET
def closure_list(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request)
    year, year_form = _year(request)
    return _render_closures(request, units, year, year_form, None)


@verified_staff_required
@require_POST
def closure_add(request: HttpRequest) -> HttpResponse:
    units = _managed_units(request)
    form = ClosureForm(request.POST, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            closure = actions.add_unit_closure(
                data["unit"], actor=request.user, on=data["date"], reason=data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The closure was added."))
            return _back_to("workdays:closure-list", closure.date.year)
    year = form.cleaned_data["date"].year if "date" in form.cleaned_data else timezone.localdate().year
    return _render_closures(request, units, year, YearForm(initial={"tahun": year}), form)


@verified_staff_required
@require_POST
def closure_remove(request: HttpRequest, agency: str, unit: str, on: date) -> HttpResponse:
    closure = get_closure_for_user(request.user, agency, unit, on)
    try:
        actions.remove_unit_closure(closure, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closure was removed; the unit works that day again."))
    return _back_to("workdays:closure-list", on.year)
