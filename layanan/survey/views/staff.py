"""The back office of the survey (``/petugas/skm/``).

* the overview: every unit the officer may see, for one period, with the live index and the
  progress towards the minimum sample;
* a unit's period: the report as it stands (live until published), and for the unit head the
  moderation of suggestions, the follow-up plan, the settings and the publication;
* a one-time code for a person just served at the counter, with its QR code;
* the CSV export of the period's anonymous responses.
"""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import ServiceUnit
from layanan.accounts.permissions import staff_required
from layanan.documents.pdf import qr_svg
from layanan.survey import actions, permissions, queries
from layanan.survey.elements import ELEMENTS
from layanan.survey.forms import (
    FollowUpForm,
    FollowUpProgressForm,
    IssueCodeForm,
    ModerationForm,
    ReportSettingsForm,
)
from layanan.survey.models import FollowUpAction, SurveyResponse
from layanan.survey.periods import PERIOD_KINDS, Period, recent_periods
from layanan.survey.tokens import grouped

CODE_SESSION_KEY = "survey_counter_code"
KIND_PARAM = {"tahun": "year", "semester": "semester", "triwulan": "quarter"}


def _period(period_key: str) -> Period:
    try:
        return Period.parse(period_key)
    except ValueError as error:
        raise Http404(period_key) from error


def _visible_units(user: Any) -> list[ServiceUnit]:
    units = ServiceUnit.objects.select_related("agency").filter(is_active=True)
    if not permissions.reads_every_unit(user):
        units = units.filter(pk__in=permissions.member_unit_ids(user))
    return list(units.order_by("agency__name", "name"))


@staff_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_survey_back_office(request.user):
        raise PermissionDenied
    kind = KIND_PARAM.get(str(request.GET.get("jenis", "")), "quarter")
    periods = recent_periods(timezone.localdate(), kind, 4)  # type: ignore[arg-type]
    chosen = periods[0]
    if request.GET.get("periode"):
        try:
            chosen = Period.parse(str(request.GET["periode"]))
        except ValueError:
            chosen = periods[0]
    units = _visible_units(request.user)
    return render(
        request,
        "survey/staff/overview.html",
        {
            "rows": queries.overview(units, chosen),
            "period": chosen,
            "periods": periods,
            "kinds": list(KIND_PARAM.items()),
            "kind": kind,
            "period_kinds": PERIOD_KINDS,
            "issuable": [unit for unit in units if permissions.can_issue_code(request.user, unit)],
            "by_agency": queries.totals(chosen, by="agency", weighting=settings.LAYANAN_SKM_WEIGHTING)
            if permissions.reads_every_unit(request.user)
            else [],
            "by_regency": queries.totals(chosen, by="regency", weighting=settings.LAYANAN_SKM_WEIGHTING)
            if permissions.reads_every_unit(request.user)
            else [],
        },
    )


def _unit_period_context(
    request: AuthenticatedHttpRequest, unit: ServiceUnit, period: Period
) -> dict[str, Any]:
    report = queries.report_for(unit, period)
    view = queries.report_view(unit, period, report)
    manage = permissions.can_manage_report(request.user, unit) and not view.published
    context: dict[str, Any] = {
        "view": view,
        "unit": unit,
        "period": period,
        "can_manage": permissions.can_manage_report(request.user, unit),
        "can_edit": manage,
        "period_ended": period.end < timezone.localdate(),
        "crumbs": [{"label": _("Satisfaction survey"), "href": reverse("survey:staff-overview")}],
    }
    if manage:
        context["settings_form"] = ReportSettingsForm(
            initial={
                "weighting": report.weighting if report else settings.LAYANAN_SKM_WEIGHTING,
                "offline_population": report.offline_population if report else 0,
                "method_note": report.method_note if report else "",
            }
        )
        context["follow_up_form"] = FollowUpForm()
        context["pending"] = [
            (
                response,
                ModerationForm(
                    prefix=str(response.public_id), initial={"wording": actions.suggested_wording(response)}
                ),
            )
            for response in queries.suggestions(unit, period, status=SurveyResponse.SuggestionStatus.PENDING)[
                :50
            ]
        ]
    if permissions.can_manage_report(request.user, unit):
        context["progress"] = [
            (
                item,
                FollowUpProgressForm(
                    prefix=str(item.public_id),
                    initial={"status": item.status, "progress_note": item.progress_note},
                ),
                is_previous,
            )
            for items, is_previous in ((view.actions, False), (view.previous_actions, True))
            for item in items
        ]
    return context


@staff_required
def unit_period(
    request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str, period_key: str
) -> HttpResponse:
    unit = permissions.get_unit_for_staff(request.user, agency_slug, unit_slug)
    period = _period(period_key)
    return render(request, "survey/staff/unit_period.html", _unit_period_context(request, unit, period))


def _back(unit: ServiceUnit, period: Period, anchor: str = "") -> HttpResponse:
    url = reverse(
        "survey:staff-unit-period",
        kwargs={"agency_slug": unit.agency.slug, "unit_slug": unit.slug, "period_key": period.key},
    )
    return redirect(f"{url}#{anchor}" if anchor else url)


def _rerender(
    request: AuthenticatedHttpRequest, unit: ServiceUnit, period: Period, **forms: Any
) -> HttpResponse:
    context = _unit_period_context(request, unit, period)
    context.update(forms)
    return render(request, "survey/staff/unit_period.html", context, status=400)


def _head_unit(request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str) -> ServiceUnit:
    unit = permissions.get_unit_for_staff(request.user, agency_slug, unit_slug)
    if not permissions.can_manage_report(request.user, unit):
        raise PermissionDenied
    return unit


@require_POST
@staff_required
def save_settings(
    request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str, period_key: str
) -> HttpResponse:
    unit = _head_unit(request, agency_slug, unit_slug)
    period = _period(period_key)
    form = ReportSettingsForm(request.POST)
    if form.is_valid():
        try:
            actions.save_report_settings(
                unit,
                period,
                weighting=form.cleaned_data["weighting"],
                offline_population=form.cleaned_data["offline_population"],
                method_note=form.cleaned_data["method_note"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report settings are saved."))
            return _back(unit, period, "settings")
    return _rerender(request, unit, period, settings_form=form)


@require_POST
@staff_required
def add_follow_up(
    request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str, period_key: str
) -> HttpResponse:
    unit = _head_unit(request, agency_slug, unit_slug)
    period = _period(period_key)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.add_follow_up(unit, period, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action is added to the follow-up plan."))
            return _back(unit, period, "plan")
    return _rerender(request, unit, period, follow_up_form=form)


def _follow_up(request: AuthenticatedHttpRequest, public_id: str) -> FollowUpAction:
    item = FollowUpAction.objects.select_related("report__unit__agency").filter(public_id=public_id).first()
    if item is None or not permissions.can_view_unit_survey(request.user, item.report.unit):
        raise Http404(public_id)
    if not permissions.can_manage_report(request.user, item.report.unit):
        raise PermissionDenied
    return item


@require_POST
@staff_required
def update_follow_up(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    item = _follow_up(request, public_id)
    unit = item.report.unit
    period = _period(str(request.POST.get("periode", item.report.period_key)))
    form = FollowUpProgressForm(request.POST, prefix=str(item.public_id))
    if form.is_valid():
        try:
            actions.update_follow_up(item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress is saved."))
            return _back(unit, period, "plan")
    context = _unit_period_context(request, unit, period)
    context["progress"] = [
        (listed, form if listed.pk == item.pk else listed_form, is_previous)
        for listed, listed_form, is_previous in context.get("progress", [])
    ]
    return render(request, "survey/staff/unit_period.html", context, status=400)


@require_POST
@staff_required
def remove_follow_up(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    item = _follow_up(request, public_id)
    unit, period = item.report.unit, _period(item.report.period_key)
    try:
        actions.remove_follow_up(item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action is removed from the plan."))
    return _back(unit, period, "plan")


@require_POST
@staff_required
def moderate(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    response = get_object_or_404(SurveyResponse.objects.select_related("unit__agency"), public_id=public_id)
    if not permissions.can_view_unit_survey(request.user, response.unit):
        raise Http404(public_id)
    if not permissions.can_manage_report(request.user, response.unit):
        raise PermissionDenied
    period = Period.containing(response.submitted_on, "year")
    period = _period(str(request.POST.get("periode", period.key)))
    form = ModerationForm(request.POST, prefix=str(response.public_id))
    if form.is_valid():
        try:
            actions.moderate_suggestion(
                response,
                publish=form.cleaned_data["decision"] == "publish",
                wording=form.cleaned_data["wording"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("wording" if error.code == "empty" else None, error)
        else:
            messages.success(request, _("The suggestion is moderated."))
            return _back(response.unit, period, "suggestions")
    context = _unit_period_context(request, response.unit, period)
    context["pending"] = [
        (pending, form if pending.pk == response.pk else pending_form)
        for pending, pending_form in context.get("pending", [])
    ]
    return render(request, "survey/staff/unit_period.html", context, status=400)


@require_POST
@staff_required
def publish(
    request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str, period_key: str
) -> HttpResponse:
    unit = _head_unit(request, agency_slug, unit_slug)
    period = _period(period_key)
    try:
        actions.publish_report(unit, period, actor=request.user)
    except ValidationError as error:
        context = _unit_period_context(request, unit, period)
        context["publish_errors"] = error.messages
        return render(request, "survey/staff/unit_period.html", context, status=400)
    messages.success(request, _("The report is published."))
    return redirect(
        "survey:public-detail", agency_slug=unit.agency.slug, unit_slug=unit.slug, period_key=period.key
    )


@require_http_methods(["GET", "POST"])
@staff_required
def issue_code(request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str) -> HttpResponse:
    unit = permissions.get_unit_for_staff(request.user, agency_slug, unit_slug)
    if not permissions.can_issue_code(request.user, unit):
        raise PermissionDenied
    form = IssueCodeForm(
        request.POST if request.method == "POST" else None, unit_services=queries.services_of_unit(unit)
    )
    if request.method == "POST" and form.is_valid():
        invitation, code = actions.issue_counter_code(
            unit, service=form.cleaned_data["service"], actor=request.user
        )
        # Post/redirect/get: reloading the code page shows the same code, never makes another.
        request.session[CODE_SESSION_KEY] = {
            "unit": unit.pk,
            "code": code,
            "expires_on": invitation.expires_on.isoformat(),
        }
        return redirect("survey:staff-code-shown", agency_slug=agency_slug, unit_slug=unit_slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "survey/staff/issue_code.html", {"unit": unit, "form": form}, status=status)


@require_GET
@staff_required
def code_shown(request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str) -> HttpResponse:
    """The code the officer just made (kept in their session until they make the next one)."""
    unit = permissions.get_unit_for_staff(request.user, agency_slug, unit_slug)
    shown = request.session.get(CODE_SESSION_KEY) or {}
    if shown.get("unit") != unit.pk or not permissions.can_issue_code(request.user, unit):
        return redirect("survey:staff-issue-code", agency_slug=agency_slug, unit_slug=unit_slug)
    code = str(shown["code"])
    url = f"{settings.LAYANAN_SITE_URL}{reverse('survey:answer', kwargs={'token': code})}"
    context = {
        "unit": unit,
        "code": grouped(code),
        "expires_on": datetime.date.fromisoformat(shown["expires_on"]),
        "url": url,
        "qr": qr_svg(url, title=_("QR code of the survey")),
    }
    response = render(request, "survey/staff/code.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@staff_required
def export_csv(
    request: AuthenticatedHttpRequest, agency_slug: str, unit_slug: str, period_key: str
) -> HttpResponse:
    """The period's responses, anonymous: answers U1..U9, the profile, date, channel, service and
    the suggestion only as published. The columns U1..U9 are what ``layanan skm_score`` reads."""
    unit = permissions.get_unit_for_staff(request.user, agency_slug, unit_slug)
    period = _period(period_key)
    writer = csv.writer(_Echo())
    header = ["tanggal", "kanal", "layanan", *[element.code for element in ELEMENTS]]
    header += ["jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran_terbit"]

    def rows() -> Any:
        yield "\ufeff" + writer.writerow(header)
        for row in queries.anonymous_rows(unit, period):
            values = [row["submitted_on"].isoformat(), row["channel"], row["service__slug"] or ""]
            values += ["" if row[element.key] is None else row[element.key] for element in ELEMENTS]
            values += [
                row["sex"],
                row["age_band"],
                row["education"],
                row["occupation"],
                _spreadsheet_safe(row["published_suggestion"]),
            ]
            yield writer.writerow(values)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = f"skm-{unit.agency.slug}-{unit.slug}-{period.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    # Streamed: a unit-year may hold a million rows. The staff decorators are typed for HttpResponse.
    return response  # type: ignore[return-value]
