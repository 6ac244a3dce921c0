"""The citizen's complaint pages (``/pengaduan/``): report, check and send, confirmation, support
an existing report, and the signed-in citizen's reports.

* ``new`` (and ``new_protected`` for the *pungli* channel): step one, what happened and where. No
  sign-in needed. The place is picked a level at a time without JavaScript ("Choose" buttons send
  the page back with the next level); nothing typed is lost. "Continue" checks the page and keeps
  the answers in the session (server side) under the form's one-time token.
* ``check``: *check your answers*, the category's extra questions, similar open public reports of
  the same regency and category (``layanan.complaints.duplicates``) with "support it instead",
  attachments, the privacy choices and, for visitors, how to reach them. Sending posts the
  one-time token: a double click, a retry or a second tab makes one report
  (``submit_complaint``'s idempotency, plus the session's record of sent tokens).
* ``sent``: the reference and the tracking code, shown once (the code travels in the session,
  never in a URL); the code is also kept in the session so the visitor can open the report page.
* ``support``: a signed-in citizen supports an existing public report instead of filing a
  duplicate.
* ``my_complaints``: the signed-in citizen's reports, anonymous ones included (found through the
  blind index, ``permissions.reported_by``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from layanan.accounts.contact import national_phone
from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import citizen_required, is_citizen_user
from layanan.complaints.actions import (
    MAX_ATTACHMENTS,
    ComplaintSubmission,
    submit_complaint,
    support_complaint,
)
from layanan.complaints.duplicates import SimilarReport, find_duplicates
from layanan.complaints.forms import (
    REGION_LEVELS,
    ReportForm,
    SendForm,
    new_idempotency_key,
)
from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintKind
from layanan.complaints.permissions import is_reporter, reported_by, reporter_index_of
from layanan.complaints.views.tracking import remember_secret
from layanan.core.masking import mask_email, mask_phone
from layanan.regions.models import Region

# {"general"|"protected": {"token": uuid, "data": {field: posted value}}}: step one's answers.
DRAFTS_SESSION_KEY = "complaints_drafts"
# {token: reference} of reports sent from this session (a retry of a sent form goes to its page).
SENT_SESSION_KEY = "complaints_sent"
# {reference: secret} of just-sent reports, popped when the confirmation page first shows it.
NEW_SECRETS_SESSION_KEY = "complaints_new_secrets"
REMEMBERED = 10
PER_PAGE = 20
STEP_ONE_FIELDS = (
    "kind",
    "category",
    "title",
    "body",
    "incident_date",
    "location_text",
    "latitude",
    "longitude",
    "target_agency",
    "target_service",
    *REGION_LEVELS,
)
STATE_COLOURS = {
    "needs_info": "yellow",
    "answered": "green",
    "resolved": "green",
    "closed": "grey",
    "archived": "grey",
    "rerouted": "grey",
}


def _channel(protected: bool) -> str:
    return "protected" if protected else "general"


def _refuse_staff(request: HttpRequest) -> None:
    """Staff enter reports on the staff pages (phone, walk-in): the web form is the citizen's."""
    if request.user.is_authenticated and not is_citizen_user(request.user):
        raise PermissionDenied


def _draft(request: HttpRequest, protected: bool) -> dict[str, Any] | None:
    drafts = request.session.get(DRAFTS_SESSION_KEY) or {}
    draft = drafts.get(_channel(protected))
    return draft if isinstance(draft, dict) and draft.get("token") else None


def _save_draft(request: HttpRequest, protected: bool, data: dict[str, str]) -> str:
    drafts = dict(request.session.get(DRAFTS_SESSION_KEY) or {})
    earlier = drafts.get(_channel(protected)) or {}
    token = str(earlier.get("token") or new_idempotency_key())
    drafts[_channel(protected)] = {"token": token, "data": data}
    request.session[DRAFTS_SESSION_KEY] = drafts
    return token


def _drop_draft(request: HttpRequest, protected: bool) -> None:
    drafts = dict(request.session.get(DRAFTS_SESSION_KEY) or {})
    if drafts.pop(_channel(protected), None) is not None:
        request.session[DRAFTS_SESSION_KEY] = drafts


def _remember(request: HttpRequest, key: str, name: str, value: str) -> None:
    stored = dict(request.session.get(key) or {})
    stored.pop(name, None)
    stored[name] = value
    request.session[key] = dict(list(stored.items())[-REMEMBERED:])


def _step_urls(protected: bool) -> tuple[str, str]:
    if protected:
        return reverse("complaints:new-protected"), reverse("complaints:new-protected-check")
    return reverse("complaints:new"), reverse("complaints:new-check")


# Step one ----------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    return _report_step(request, protected=False)


@never_cache
@require_http_methods(["GET", "POST"])
def new_protected(request: HttpRequest) -> HttpResponse:
    return _report_step(request, protected=True)


def _report_step(request: HttpRequest, *, protected: bool) -> HttpResponse:
    _refuse_staff(request)
    template = "complaints/citizen/report_form.html"
    if request.method != "POST":
        draft = _draft(request, protected)
        form = ReportForm(initial=draft["data"] if draft else None, protected=protected)
        return render(request, template, _step_one_context(form, protected))
    posted = {name: str(request.POST.get(name, "") or "") for name in STEP_ONE_FIELDS}
    if request.POST.get("action") == "pick":
        # A "Choose" button: show the next level (or the agency's services), no errors yet.
        form = ReportForm(initial=posted, protected=protected)
        return render(request, template, _step_one_context(form, protected, picked=True))
    form = ReportForm(request.POST, protected=protected)
    if not form.is_valid():
        return render(request, template, _step_one_context(form, protected), status=400)
    _save_draft(request, protected, posted)
    return redirect(_step_urls(protected)[1])


def _step_one_context(form: ReportForm, protected: bool, *, picked: bool = False) -> dict[str, Any]:
    return {
        "form": form,
        "protected": protected,
        "picked": picked,
        "action_url": _step_urls(protected)[0],
        "other_url": _step_urls(not protected)[0],
    }


# Step two: check and send ------------------------------------------------------------------------


def _step_one(request: HttpRequest, protected: bool) -> tuple[dict[str, Any], ReportForm] | None:
    """The draft and its step-one form, valid; None when there is none (or it went stale)."""
    draft = _draft(request, protected)
    if draft is None:
        return None
    form = ReportForm(draft.get("data") or {}, protected=protected)
    if not form.is_valid() or form.chosen_region is None:
        return None
    return draft, form


def _category(form: ReportForm, protected: bool) -> ComplaintCategory | None:
    if protected:
        return (
            ComplaintCategory.objects.filter(is_protected=True, is_active=True).order_by("sort_order").first()
        )
    category: ComplaintCategory | None = form.cleaned_data.get("category")
    return category


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    return _check_step(request, protected=False)


@never_cache
@require_http_methods(["GET", "POST"])
def check_protected(request: HttpRequest) -> HttpResponse:
    return _check_step(request, protected=True)


def _check_step(request: HttpRequest, *, protected: bool) -> HttpResponse:
    _refuse_staff(request)
    posted_key = str(request.POST.get("idempotency_key", "")) if request.method == "POST" else ""
    sent = (request.session.get(SENT_SESSION_KEY) or {}).get(posted_key) if posted_key else None
    if sent:
        # The form was sent already (a double click, a retry, the back button): one report.
        return redirect("complaints:sent", complaint=sent)
    found = _step_one(request, protected)
    if found is None:
        if request.method == "POST":
            messages.warning(request, _("Your report was not sent: start again from the first step."))
        return redirect(_step_urls(protected)[0])
    draft, report = found
    category = _category(report, protected)
    if category is None:
        raise Http404
    visitor = not request.user.is_authenticated
    if request.method != "POST":
        form = SendForm(
            category=category,
            visitor=visitor,
            protected=protected,
            initial={"idempotency_key": draft["token"]},
        )
        return render(
            request,
            "complaints/citizen/check.html",
            _check_context(request, report, form, category, protected),
        )
    form = SendForm(request.POST, request.FILES, category=category, visitor=visitor, protected=protected)
    problems: list[Any] = []
    if form.is_valid():
        if str(form.cleaned_data["idempotency_key"]) != draft["token"]:
            form.add_error(None, _("This page was out of date. Check your report below and send it again."))
            return _check_failed(request, report, form, category, protected, draft)
        try:
            submission = _submit(request, report, form, category, protected)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            problems = form.show_action_errors(errors)
        else:
            return _sent(request, protected, draft["token"], submission)
    return _check_failed(request, report, form, category, protected, draft, problems=problems)


def _check_failed(
    request: HttpRequest,
    report: ReportForm,
    form: SendForm,
    category: ComplaintCategory,
    protected: bool,
    draft: dict[str, Any],
    *,
    problems: list[Any] | None = None,
) -> HttpResponse:
    for problem in problems or []:
        form.add_error(None, problem)
    # The token of the draft, whatever came back: the next try is still the same report.
    data = form.data.copy()  # type: ignore[attr-defined]
    data["idempotency_key"] = draft["token"]
    form.data = data
    context = _check_context(request, report, form, category, protected)
    context["files_lost"] = bool(request.FILES)
    return render(request, "complaints/citizen/check.html", context, status=400)


def _submit(
    request: HttpRequest, report: ReportForm, form: SendForm, category: ComplaintCategory, protected: bool
) -> ComplaintSubmission:
    user = request.user if request.user.is_authenticated else None
    data = report.cleaned_data
    return submit_complaint(
        kind=ComplaintKind.WHISTLEBLOWING if protected else str(data["kind"]),
        category=category,
        title=data["title"],
        body=data["body"],
        region=report.chosen_region,
        actor=user,
        channel=Complaint.Channel.WEB,
        incident_date=data.get("incident_date"),
        location_text=data.get("location_text") or "",
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        target_agency=data.get("target_agency"),
        target_service=report.chosen_service(),
        attributes=form.attributes(),
        is_anonymous=bool(form.cleaned_data.get("is_anonymous")),
        is_confidential=True if protected else bool(form.cleaned_data.get("is_confidential")),
        reporter=user,
        reporter_details=form.reporter_details(),
        attachments=form.cleaned_data.get("attachments") or [],
        idempotency_scope="",
        idempotency_key=str(form.cleaned_data["idempotency_key"]),
        language=translation.get_language(),
    )


def _sent(request: HttpRequest, protected: bool, token: str, submission: ComplaintSubmission) -> HttpResponse:
    reference = submission.complaint.reference
    _drop_draft(request, protected)
    _remember(request, SENT_SESSION_KEY, token, reference)
    if submission.secret:
        _remember(request, NEW_SECRETS_SESSION_KEY, reference, submission.secret)
        remember_secret(request, reference, submission.secret)
    return redirect("complaints:sent", complaint=reference)


def _check_context(
    request: HttpRequest, report: ReportForm, form: SendForm, category: ComplaintCategory, protected: bool
) -> dict[str, Any]:
    data = report.cleaned_data
    region = report.chosen_region
    assert region is not None
    duplicates: list[SimilarReport] = []
    if not protected:
        duplicates = find_duplicates(
            category=category, regency_code=region.code[:5], title=data["title"], body=data["body"]
        )
    language = translation.get_language()
    change_url = _step_urls(protected)[0]
    rows: list[dict[str, Any]] = []
    if not protected:
        rows.append(
            {"label": _("Type of report"), "value": ComplaintKind(data["kind"]).label, "href": change_url}
        )
    rows += [
        {"label": _("Topic"), "value": category.display_name(language), "href": change_url},
        {"label": _("Title"), "value": data["title"], "href": change_url},
        {"label": _("What happened"), "value": data["body"], "href": change_url},
        {
            "label": _("Date of the incident"),
            "value": date_format(data["incident_date"], "DATE_FORMAT") if data.get("incident_date") else "",
            "href": change_url,
        },
        {"label": _("Where"), "value": _place(region, data.get("location_text") or ""), "href": change_url},
    ]
    if data.get("latitude") is not None:
        rows.append(
            {
                "label": _("Point on the map"),
                "value": f"{data['latitude']}, {data['longitude']}",
                "href": change_url,
            }
        )
    agency = data.get("target_agency")
    service = report.chosen_service()
    rows.append(
        {
            "label": _("Agency"),
            "value": f"{agency.name}{f' — {service.name}' if service else ''}" if agency else "",
            "href": change_url,
        }
    )
    return {
        "form": form,
        "rows": rows,
        "protected": protected,
        "category": category,
        "duplicates": duplicates,
        "back_url": change_url,
        "action_url": _step_urls(protected)[1],
        "visitor": not request.user.is_authenticated,
        "max_attachments": MAX_ATTACHMENTS,
        "files_lost": False,
    }


def _place(region: Region, location_text: str) -> str:
    names = [
        r.name for r in reversed(list(Region.objects.filter(code__in=_chain(region.code)).order_by("level")))
    ]
    return ", ".join([location_text, *names] if location_text else names)


def _chain(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


# Confirmation ------------------------------------------------------------------------------------


@never_cache
@require_GET
def sent(request: HttpRequest, complaint: str) -> HttpResponse:
    """The confirmation, only for the session that sent the report."""
    if complaint not in (request.session.get(SENT_SESSION_KEY) or {}).values():
        raise Http404
    report = Complaint.objects.select_related("category").filter(reference=complaint).first()
    if report is None:
        raise Http404
    secrets = dict(request.session.get(NEW_SECRETS_SESSION_KEY) or {})
    secret = secrets.pop(complaint, None)
    if secret is not None:
        request.session[NEW_SECRETS_SESSION_KEY] = secrets
    details = report.reporter_details()
    contact = ""
    if details.get("email"):
        contact = mask_email(str(details["email"]))
    elif details.get("phone"):
        contact = mask_phone(national_phone(str(details["phone"])))
    return render(
        request,
        "complaints/citizen/sent.html",
        {
            "complaint": report,
            "secret": secret,
            "contact": contact,
            "protected": report.kind == ComplaintKind.WHISTLEBLOWING,
            "information": report.kind == ComplaintKind.INFORMATION,
        },
    )


# Support an existing report ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def support(request: AuthenticatedHttpRequest, complaint: str) -> HttpResponse:
    report = Complaint.objects.select_related("category").filter(reference=complaint).first()
    if report is None or not report.is_public:
        raise Http404
    own = is_reporter(request.user, report)
    already = report.supports.filter(supporter_index=reporter_index_of(request.user)).exists()
    context: dict[str, Any] = {"complaint": report, "own": own, "already": already, "done": False}
    if request.method != "POST":
        return render(request, "complaints/citizen/support.html", context)
    try:
        added = support_complaint(report, actor=request.user)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return render(request, "complaints/citizen/support.html", context, status=400)
    _drop_draft(request, protected=False)
    report.refresh_from_db(fields=["support_count"])
    context.update(done=True, added=added, already=already or not added)
    return render(request, "complaints/citizen/support.html", context)


# The citizen's reports ---------------------------------------------------------------------------


@never_cache
@require_GET
@citizen_required
def my_complaints(request: AuthenticatedHttpRequest) -> HttpResponse:
    reports = (
        reported_by(request.user)
        .select_related("category", "workflow")
        .only(
            "reference",
            "title",
            "kind",
            "state",
            "is_open",
            "is_anonymous",
            "is_confidential",
            "submitted_at",
            "due_date",
            "category__name",
            "category__name_en",
            "workflow__definition",
        )
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    language = translation.get_language()
    rows = []
    for report in page.object_list:
        rows.append(
            {
                "reference": report.reference,
                "title": report.title,
                "kind": report.get_kind_display(),
                "category": report.category.display_name(language),
                "submitted_at": timezone.localtime(report.submitted_at),
                "state": report.state_label(),
                "colour": STATE_COLOURS.get(report.state, "blue" if report.is_open else "grey"),
                "is_anonymous": report.is_anonymous,
                "is_confidential": report.is_confidential,
            }
        )
    return render(request, "complaints/citizen/my_complaints.html", {"rows": rows, "page_obj": page})
