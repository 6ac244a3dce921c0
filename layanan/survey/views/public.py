"""The published survey reports (``/skm/``): the list, one report as a page and as a PDF.

Only published reports are here; an unpublished period answers 404 exactly like an unknown one.
A published report shows sums and moderated suggestions only, never a single response.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from layanan.accounts.models import Agency
from layanan.core.downloads import document_response
from layanan.documents.pdf import PdfUnavailable, render_pdf
from layanan.survey import queries
from layanan.survey.periods import Period


class ReportFilterForm(forms.Form):
    instansi = forms.ChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an agency from the list.")},
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        field = self.fields["instansi"]
        assert isinstance(field, forms.ChoiceField)
        agencies = Agency.objects.filter(is_active=True).order_by("name").values_list("slug", "name")
        field.choices = [("", _("All agencies")), *agencies]


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    agency = None
    if form.is_valid() and form.cleaned_data["instansi"]:
        agency = Agency.objects.filter(slug=form.cleaned_data["instansi"]).first()
    reports = list(queries.published_reports(agency=agency)[:200])
    rows = [(report, queries.published_score(report)) for report in reports]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "survey/public/list.html", {"form": form, "rows": rows}, status=status)


def _published(agency_slug: str, unit_slug: str, period_key: str) -> queries.ReportView:
    try:
        period = Period.parse(period_key)
    except ValueError as error:
        raise Http404(period_key) from error
    report = queries.published_report(agency_slug, unit_slug, period.key)
    if report is None:
        raise Http404(period_key)
    return queries.report_view(report.unit, period, report)


@require_GET
def report_detail(request: HttpRequest, agency_slug: str, unit_slug: str, period_key: str) -> HttpResponse:
    view = _published(agency_slug, unit_slug, period_key)
    return render(
        request,
        "survey/public/detail.html",
        {
            "view": view,
            "crumbs": [{"label": _("Satisfaction surveys"), "href": reverse("survey:public-list")}],
        },
    )


@require_GET
def report_pdf(request: HttpRequest, agency_slug: str, unit_slug: str, period_key: str) -> HttpResponse:
    view = _published(agency_slug, unit_slug, period_key)
    html = render_to_string("survey/public/report_pdf.html", {"view": view}, request=request)
    try:
        pdf = render_pdf(html)
    except PdfUnavailable as error:
        return render(
            request, "survey/public/pdf_unavailable.html", {"view": view, "detail": str(error)}, status=503
        )
    name = f"skm-{view.unit.agency.slug}-{view.unit.slug}-{view.period.key}.pdf"
    return document_response(pdf, content_type="application/pdf", display_name=name)
