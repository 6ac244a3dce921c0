"""The oversight viewer of the audit log (``/petugas/audit/``), for the inspectorate and platform
administrators (see ``layanan.audit.permissions``).

Reading the log is not itself recorded: it changes nothing, and logging every page view would
bury the changes the log exists to show. Running "Verify chain" is recorded
(``audit.chain_verified``) because its outcome is evidence an auditor may need to cite later.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from layanan.audit.actions import check_audit_chain
from layanan.audit.forms import AuditFilterForm
from layanan.audit.permissions import audit_viewer_required, get_audit_event_for_user
from layanan.audit.queries import Cursor, EventPage, audit_events_page, next_event_in_stream

PROBLEM_KINDS = {
    "tampered": _("An event was changed after it was recorded."),
    "missing": _("An event is missing from the chain."),
    "head": _("The end of the chain does not match the recorded chain head."),
    "anchor": _("An event anchored outside the database no longer matches."),
}


@audit_viewer_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    page: EventPage | None = None
    if form.is_valid():
        page = audit_events_page(
            form.to_filter(),
            older=Cursor.parse(request.GET.get("older", "")),
            newer=Cursor.parse(request.GET.get("newer", "")),
        )
    context = {
        "form": form,
        "page": page,
        "older_url": _page_url(request, "older", page.older if page else None),
        "newer_url": _page_url(request, "newer", page.newer if page else None),
    }
    return render(request, "audit/staff/event_list.html", context)


@audit_viewer_required
@require_GET
def event_detail(request: HttpRequest, stream: int, sequence: int) -> HttpResponse:
    event = get_audit_event_for_user(request.user, stream=stream, sequence=sequence)
    context = {
        "event": event,
        "summary_json": json.dumps(event.summary, indent=2, sort_keys=True, ensure_ascii=False),
        "next_event": next_event_in_stream(event),
    }
    return render(request, "audit/staff/event_detail.html", context)


@audit_viewer_required
@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    report = check_audit_chain(actor=request.user)
    problem = report.problem
    context = {"report": report, "problem_text": PROBLEM_KINDS.get(problem.kind, "") if problem else ""}
    return render(request, "audit/staff/chain_verify.html", context)


def _page_url(request: HttpRequest, direction: str, cursor: Cursor | None) -> str:
    if cursor is None:
        return ""
    params = request.GET.copy()
    params.pop("older", None)
    params.pop("newer", None)
    params[direction] = str(cursor)
    return f"?{params.urlencode()}"
