"""The public side of complaints (``/laporan/``): the list of public reports with the agencies'
answers, one report, and the statistics per agency.

GET only, no sign-in, no JavaScript. What is public is decided in
``layanan.complaints.queries_public`` (never who reported; never a confidential or protected
report, whose address answers 404 exactly like an unknown one). A bad filter value never fails:
the form says what is wrong and the page shows what the other filters find.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from layanan.complaints.queries_public import (
    DEFAULT_PERIOD,
    PERIODS,
    STATUS_COLOURS,
    FilterChoices,
    PublicStatus,
    ReportFilters,
    complaint_statistics,
    filter_choices,
    public_answers,
    public_report,
    public_status,
    regency_names,
    report_page,
)

LIST_TEMPLATE = "complaints/public/list.html"
DETAIL_TEMPLATE = "complaints/public/detail.html"
STATISTICS_TEMPLATE = "complaints/public/statistics.html"


class ReportFilterForm(forms.Form):
    """``?instansi=`` agency slug, ``?kategori=`` category slug, ``?status=``, ``?wilayah=``
    regency code. Any combination; an invalid value is reported and left out."""

    instansi = forms.ChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an agency from the list.")},
    )
    kategori = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a category from the list.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *PublicStatus.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose a status from the list.")},
    )
    wilayah = forms.ChoiceField(
        label=gettext_lazy("Regency or city"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a regency or city from the list.")},
    )

    def __init__(self, data: Any = None, *, choices: FilterChoices) -> None:
        super().__init__(data)
        self._set_choices("instansi", _("All agencies"), choices.agencies)
        self._set_choices("kategori", _("All categories"), choices.categories)
        self._set_choices("wilayah", _("All regencies and cities"), choices.regencies)

    def _set_choices(self, name: str, everything: str, items: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", everything), *((item.value, item.label) for item in items)]

    def filters(self) -> ReportFilters:
        """The valid filters; an invalid one is left out."""
        if not self.is_bound:
            return ReportFilters()
        self.is_valid()
        data = self.cleaned_data
        return ReportFilters(
            agency=str(data.get("instansi") or ""),
            category=str(data.get("kategori") or ""),
            status=str(data.get("status") or ""),
            regency=str(data.get("wilayah") or ""),
        )


class PeriodForm(forms.Form):
    periode = forms.TypedChoiceField(
        label=gettext_lazy("Reports submitted in"),
        required=False,
        coerce=int,
        choices=[
            (30, gettext_lazy("the last 30 days")),
            (90, gettext_lazy("the last 90 days")),
            (365, gettext_lazy("the last 365 days")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Choose a period from the list.")},
    )

    def days(self) -> int:
        if not self.is_bound or not self.is_valid():
            return DEFAULT_PERIOD
        days = self.cleaned_data.get("periode")
        return days if isinstance(days, int) and days in PERIODS else DEFAULT_PERIOD


def _labelled(report: Any, regency_names: dict[str, str], language: str | None) -> Any:
    """Add what the templates show: the public status and its colour, the category's name in
    the page's language, the place (region and regency)."""
    status = public_status(report)
    report.public_status_label = status.label
    report.public_status_colour = STATUS_COLOURS[status]
    report.category_label = report.category.display_name(language)
    regency = regency_names.get(report.regency_code, "")
    report.place = (
        report.region.name
        if report.region.code == report.regency_code or not regency
        else (f"{report.region.name}, {regency}")
    )
    return report


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    language = get_language()
    choices = filter_choices(language)
    form = ReportFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    page = report_page(
        filters,
        after=str(request.GET.get("setelah", ""))[:64],
        before=str(request.GET.get("sebelum", ""))[:64],
    )
    names = {
        "instansi": {c.value: c.label for c in choices.agencies}.get(filters.agency, ""),
        "kategori": {c.value: c.label for c in choices.categories}.get(filters.category, ""),
        "status": PublicStatus(filters.status).label if filters.status else "",
        "wilayah": {c.value: c.label for c in choices.regencies}.get(filters.regency, ""),
    }
    labels = {
        "instansi": _("Agency:"),
        "kategori": _("Category:"),
        "status": _("Status:"),
        "wilayah": _("Regency or city:"),
    }
    context = {
        "form": form,
        "filters": filters,
        "active_filters": [
            {"param": param, "label": labels[param], "value": value}
            for param, value in names.items()
            if value
        ],
        "reports": [_labelled(report, page.regency_names, language) for report in page.reports],
        "page": page,
        "paged": bool(request.GET.get("setelah") or request.GET.get("sebelum")),
    }
    return render(request, LIST_TEMPLATE, context)


@require_GET
def report_detail(request: HttpRequest, complaint: str) -> HttpResponse:
    report = public_report(complaint)
    if report is None:
        # Unknown, mistyped, confidential, protected or not yet verified: the same 404.
        raise Http404("no such public report")
    language = get_language()
    _labelled(report, regency_names([report.regency_code]), language)
    context = {
        "report": report,
        "answers": public_answers(report),
        "crumbs": [{"label": _("Public reports"), "href": reverse("complaints:public-list")}],
    }
    return render(request, DETAIL_TEMPLATE, context)


@require_GET
def report_statistics(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    stats = complaint_statistics(form.days())
    context = {
        "form": form,
        "stats": stats,
        "list_url": reverse("complaints:public-list"),
        "crumbs": [{"label": _("Public reports"), "href": reverse("complaints:public-list")}],
    }
    return render(request, STATISTICS_TEMPLATE, context)
