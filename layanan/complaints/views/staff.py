"""The staff side of complaints, under ``/petugas/pengaduan/``: each role's queue (and its CSV
export), one case (the report, deadlines, timeline, disposition chain, the reporter when allowed)
and the workflow steps, the disposition and the routing assistant's one-click confirmation.

Who may open a case is decided by ``layanan.complaints.permissions``; what a person may do is the
workflow's business, enforced by ``layanan.complaints.actions`` (the only writer). An anonymous
reporter's identity is never read here: the case page does not even load ``reporter_data`` for
it, the queue and the export never select it.
"""

from __future__ import annotations

import csv
import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import User
from layanan.accounts.permissions import staff_required
from layanan.complaints import actions, actions_staff, permissions
from layanan.complaints.forms_staff import NOTE_MAX, DisposeForm, NoteForm, QueueFilterForm
from layanan.complaints.models import (
    Complaint,
    ComplaintAttachment,
    Disposition,
)
from layanan.complaints.queries_staff import (
    Cursor,
    QueueFilters,
    attachment_of,
    case_for_staff,
    disposable_units,
    export_rows,
    queue_categories,
    queue_page,
    queue_roles,
)
from layanan.complaints.views.staff_case import (
    CITIZEN_STEPS,
    DISPOSING_ROLES,
    OWN_FORM_STEPS,
    _crumbs,
    _render_case,
    can_dispose,
    contact_fields,
    export_cells,
    export_header,
    find_suggestion,
    moved_on,
    step_forms,
    step_of,
)
from layanan.core.downloads import document_response
from layanan.workdays.queries import standard_calendar
from layanan.workflow import engine

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def case_url(complaint: Complaint) -> str:
    return reverse("complaints:staff-case", kwargs={"complaint": complaint.reference})


def _staff_case(request: AuthenticatedHttpRequest, reference: str) -> Complaint:
    """The report if the user may open it as staff: 404 otherwise (also for the reporter)."""
    complaint = case_for_staff(request.user, reference)
    if complaint is None or not permissions.can_handle(request.user, complaint):
        raise Http404
    return complaint


# --- The queue ------------------------------------------------------------------------------------


def _queue_form(request: AuthenticatedHttpRequest) -> QueueFilterForm:
    form = QueueFilterForm(request.GET, categories=queue_categories(), language=get_language())
    form.is_valid()
    return form


@never_cache
@require_GET
@staff_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = queue_roles(request.user)
    form = _queue_form(request)
    thresholds = engine.queue_thresholds(standard_calendar())
    after = Cursor.decode(request.GET.get("after", ""))
    page = queue_page(request.user, form.filters(), thresholds, after=after) if roles else None
    context = {
        "form": form,
        "roles": roles,
        "page": page,
        "after": after,
        "next_after": page.next_cursor.encode() if page and page.next_cursor else "",
        "filtered": any(request.GET.get(name) for name in ("state", "kind", "category", "deadline")),
        "export_query": _filter_query(form.filters()),
        "crumbs": _crumbs()[:1],
    }
    return render(request, "complaints/staff/complaint_queue.html", context)


def _filter_query(filters: QueueFilters) -> str:
    pairs = {
        "state": filters.state,
        "kind": filters.kind,
        "category": filters.category,
        "deadline": filters.flag,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


def _safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


@never_cache
@require_GET
@staff_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The queue the user sees as CSV. It never holds who reported, anonymous or not: an export
    leaves the platform's access control, so the reporter stays on the audited case page."""
    if not queue_roles(request.user):
        raise PermissionDenied
    form = _queue_form(request)
    filters = form.filters()
    thresholds = engine.queue_thresholds(standard_calendar())
    rows = export_rows(request.user, filters, thresholds)
    actions_staff.record_queue_exported(
        actor=request.user,
        rows=len(rows),
        filters={
            "state": filters.state,
            "kind": filters.kind,
            "category": filters.category,
            "deadline": filters.flag,
        },
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="pengaduan-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")  # a BOM, so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(export_header())
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in export_cells(row)])
    return response


@never_cache
@require_GET
@staff_required
def case(request: AuthenticatedHttpRequest, complaint: str) -> HttpResponse:
    return _render_case(request, _staff_case(request, complaint))


def _refused(
    request: AuthenticatedHttpRequest, reference: str, key: str, error: ValidationError, note: str
) -> HttpResponse:
    """The page again with the action's message: 409 when the report moved on meanwhile (the
    note is given back to copy), 400 otherwise (the note stays in its form)."""
    fresh = _staff_case(request, reference)
    message = " ".join(str(m) for m in error.messages)
    if key == "dispose":
        still_possible = can_dispose(request.user, fresh)
    else:
        still_possible = key in {s["key"] for s in step_forms(request.user, fresh)}
    stale = getattr(error, "code", "") == "wrong_state" or not still_possible
    return _render_case(
        request,
        fresh,
        status=409 if stale else 400,
        step_error=message,
        lost_note=note if stale else "",
        failed_step="" if stale else key,
        step_form=None if stale else NoteForm({"note": note}),
    )


def _take_step(complaint: Complaint, key: str, *, actor: User, note: str) -> Complaint:
    """Run workflow step ``key`` through its action."""
    if key == "reroute":
        return actions.forward_to_lapor(complaint, actor=actor, note=note)
    if key == "mark_not_authority":
        return actions.mark_not_authority(complaint, actor=actor, note=note)
    if key == "answer":
        return actions.answer_complaint(complaint, actor=actor, note=note)
    return actions.transition_complaint(complaint, key, actor=actor, note=note)


@never_cache
@require_POST
@staff_required
def case_transition(request: AuthenticatedHttpRequest, complaint: str, transition: str) -> HttpResponse:
    case_ = _staff_case(request, complaint)
    known = {t.key: t for t in case_.definition().transitions}
    if transition not in known or transition in OWN_FORM_STEPS | CITIZEN_STEPS:
        raise Http404
    raw_note = request.POST.get("note", "")[:NOTE_MAX]
    step = step_of(request.user, case_, transition)
    if step is None and known[transition].roles.isdisjoint(permissions.roles_for(request.user, case_)):
        # Never this user's step, whatever the state: not a stale page.
        raise PermissionDenied
    form = NoteForm({"note": raw_note}, note_required=bool(step and step["requires_note"]))
    if step is not None and not form.is_valid():
        return _render_case(request, case_, status=400, failed_step=transition, step_form=form)
    note = raw_note.strip()
    try:
        _take_step(case_, transition, actor=request.user, note=note)
    except ValidationError as error:
        return _refused(request, complaint, transition, error, note)
    label = step["label"] if step else transition
    messages.success(request, _("Done: %(step)s.") % {"step": label})
    return HttpResponseRedirect(case_url(case_))


def _check_disposing_role(user: User, complaint: Complaint) -> None:
    """Only coordinators and the inspectorate dispose (the action checks again)."""
    if not permissions.staff_roles_for(user, complaint) & DISPOSING_ROLES:
        raise PermissionDenied


@never_cache
@require_POST
@staff_required
def case_dispose(request: AuthenticatedHttpRequest, complaint: str) -> HttpResponse:
    case_ = _staff_case(request, complaint)
    _check_disposing_role(request.user, case_)
    if not can_dispose(request.user, case_):
        return _refused(request, complaint, "dispose", ValidationError(moved_on(), code="wrong_state"), "")
    form = DisposeForm(request.POST, units=disposable_units())
    if not form.is_valid():
        return _render_case(request, case_, status=400, dispose_form=form)
    unit = form.chosen_unit()
    try:
        actions.dispose_complaint(
            case_,
            unit=unit,
            actor=request.user,
            note=str(form.cleaned_data.get("note") or ""),
            resolution_class=str(form.cleaned_data["resolution_class"]),
            source=Disposition.Source.MANUAL,
        )
    except ValidationError as error:
        form.add_error(None, " ".join(str(m) for m in error.messages))
        status = 409 if getattr(error, "code", "") == "wrong_state" else 400
        return _render_case(request, _staff_case(request, complaint), status=status, dispose_form=form)
    messages.success(
        request, _("Disposed to %(unit)s — %(agency)s.") % {"unit": unit.name, "agency": unit.agency.name}
    )
    return HttpResponseRedirect(case_url(case_))


@never_cache
@require_POST
@staff_required
def case_confirm_suggestion(request: AuthenticatedHttpRequest, complaint: str) -> HttpResponse:
    """One click: dispose to the routing assistant's suggestion (the stored one, or one of the
    ranked list shown), recorded as a confirmed suggestion with its confidence."""
    case_ = _staff_case(request, complaint)
    _check_disposing_role(request.user, case_)
    if not can_dispose(request.user, case_):
        return _refused(request, complaint, "dispose", ValidationError(moved_on(), code="wrong_state"), "")
    chosen = find_suggestion(case_, request.POST.get("agency", ""))
    if chosen is None:
        error = ValidationError(
            _("This suggestion is no longer offered. Choose a unit below."), code="suggestion"
        )
        return _refused(request, complaint, "dispose", error, "")
    try:
        actions.dispose_complaint(
            case_,
            unit=chosen.unit,
            actor=request.user,
            category=chosen.category,
            source=Disposition.Source.SUGGESTION,
            confidence=chosen.confidence,
        )
    except ValidationError as error:
        return _refused(request, complaint, "dispose", error, "")
    messages.success(
        request,
        _("Disposed to %(unit)s — %(agency)s, as suggested.")
        % {"unit": chosen.unit.name, "agency": chosen.unit.agency.name},
    )
    return HttpResponseRedirect(case_url(case_))


@never_cache
@require_POST
@staff_required
def case_reveal(request: AuthenticatedHttpRequest, complaint: str) -> HttpResponse:
    """Show the reporter's contact in full, for this response only (audited). Never for an
    anonymous report: there is nothing to show."""
    case_ = _staff_case(request, complaint)
    if not permissions.can_see_reporter(request.user, case_):
        raise Http404
    actions_staff.record_reporter_viewed(case_, actor=request.user, fields=contact_fields(case_))
    return _render_case(request, case_, revealed=True)


@never_cache
@require_GET
@staff_required
def case_attachment(request: AuthenticatedHttpRequest, complaint: str, attachment: Any) -> HttpResponse:
    """An attachment of the report, decrypted (images inline, PDFs as downloads; audited)."""
    case_ = _staff_case(request, complaint)
    found: ComplaintAttachment | None = attachment_of(case_, attachment)
    if found is None:
        raise Http404
    content = actions_staff.read_attachment(case_, found, actor=request.user)
    extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(found.kind, "bin")
    return document_response(
        content,
        content_type=found.content_type,
        display_name=f"{case_.reference}-{str(found.public_id)[:8]}.{extension}",
    )
