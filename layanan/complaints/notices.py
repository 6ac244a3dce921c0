"""Messages about complaints, through the one notification service (delivered after commit).

* The reporter hears that the report was received (with the tracking code, the only time it is
  sent) and about every public state change, at the contact kept encrypted with the report (the
  account's e-mail or phone at the time of reporting, or what a visitor typed). A reporter who
  left no contact follows the report with the reference and the code.
* Coordinators of the report's regency hear about missed deadlines (level 1); the inspectorate
  too when the deadline is still missed later (level 2) and for the protected channel.

Messages carry the reference, the state and the tracking address; never the report's content,
the reporter's details or the officer's answer (only that there is a message).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from layanan.accounts.models import User
from layanan.accounts.roles import Role
from layanan.complaints.models import Complaint, ComplaintKind
from layanan.notifications.actions import notify
from layanan.notifications.addresses import contact_of, reach
from layanan.workflow.deadlines import Deadline
from layanan.workflow.models import TimelineEvent


def tracking_url() -> str:
    return f"{settings.LAYANAN_SITE_URL.rstrip('/')}{reverse('complaints:track')}"


def _to_reporter(complaint: Complaint, template: str, context: dict[str, object]) -> None:
    details = complaint.reporter_details()
    contact = reach(email=str(details.get("email", "")), phone=str(details.get("phone", "")))
    if contact is None:
        return
    channel, address = contact
    notify(
        channel=channel,
        address=address,
        template=template,
        context={"reference": complaint.reference, "tracking_url": tracking_url(), **context},
        # No link to the account of an anonymous reporter, even in the notification log.
        recipient=complaint.reporter,
        language=complaint.language,
    )


def complaint_received(complaint: Complaint, secret: str) -> None:
    _to_reporter(complaint, "complaint_received", {"secret": secret})


def state_changed(complaint: Complaint, event: TimelineEvent) -> None:
    if not event.is_public or event.kind != TimelineEvent.Kind.TRANSITION:
        return
    definition = complaint.definition()
    if not definition.has_state(event.to_state):
        return
    state = definition.state(event.to_state)
    _to_reporter(
        complaint,
        "complaint_state",
        {"state": state.label, "state_key": state.key, "note": bool(event.note.strip())},
    )


def escalation_recipients(complaint: Complaint, *, level: int) -> list[User]:
    """Coordinators (level 1, not for the protected channel) and the inspectorate (level 2 or the
    protected channel) of the report's regency."""
    roles = []
    if complaint.kind != ComplaintKind.WHISTLEBLOWING:
        roles.append(Role.COMPLAINT_COORDINATOR)
    if level >= 2 or complaint.kind == ComplaintKind.WHISTLEBLOWING:
        roles.append(Role.INSPECTORATE)
    in_scope = Q(memberships__agency__region__code__startswith=complaint.regency_code)
    if complaint.agency_id:
        in_scope |= Q(memberships__agency_id=complaint.agency_id)
    return list(
        User.objects.filter(is_active=True, memberships__is_active=True, memberships__role__in=roles)
        .filter(in_scope)
        .distinct()
    )


def escalated(complaint: Complaint, deadlines: Sequence[Deadline], *, level: int) -> None:
    if not deadlines:
        return
    case_url = f"{settings.LAYANAN_SITE_URL.rstrip('/')}{complaint.get_staff_url()}"
    for person in escalation_recipients(complaint, level=level):
        contact = contact_of(person)
        if contact is None:
            continue
        channel, address = contact
        notify(
            channel=channel,
            address=address,
            template="complaint_escalated",
            context={
                "reference": complaint.reference,
                "due": min(d.due for d in deadlines).isoformat(),
                "level": level,
                "case_url": case_url,
            },
            recipient=person,
            language=settings.LANGUAGE_CODE,
        )
