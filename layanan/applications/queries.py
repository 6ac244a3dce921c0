"""Reads of applications that more than one page needs, each a fixed, small number of queries.

The public tracking page (``/lacak/``) is the hot path: anyone may ask, and it is measured at a
million applications. It costs two indexed queries whatever the size of the tables: the
application by its unique reference (with its service, unit, agency and workflow in the same
query, and only the columns the page shows), then its public timeline by the ``(case, at)`` index.
Neither reads the form answers (personal data) nor the officers' notes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from layanan.applications.models import Application, ApplicationEvent
from layanan.workflow.models import TimelineEvent

# Timeline entries a member of the public may see: state changes and payments marked public.
# Notes, assignments, escalations and documents stay between the applicant and the staff.
PUBLIC_EVENT_KINDS = (TimelineEvent.Kind.TRANSITION, TimelineEvent.Kind.PAYMENT)

# What a public payment entry says, by ``data["event"]`` (written by ``applications.billing``).
PAYMENT_LABELS: dict[str, Promise] = {
    "bill_opened": _("Bill issued"),
    "paid": _("Payment received"),
}

# Columns the tracking page reads. No ``answers`` (the form, encrypted personal data), no
# ``applicant_nik_index``; ``tracking_secret_digest`` is read to check the code, never shown.
TRACKING_COLUMNS = (
    "id",
    "reference",
    "state",
    "state_entered_at",
    "is_open",
    "overall_due_date",
    "submitted_at",
    "decided_at",
    "closed_at",
    "fee_amount",
    "applicant_id",
    "tracking_secret_digest",
    "service",
    "service__name",
    "service__slug",
    "unit",
    "unit__name",
    "unit__agency",
    "unit__agency__name",
    "workflow",
    "workflow__definition",
)


def application_for_tracking(reference: str) -> Application | None:
    """The application with this exact (canonical) reference, ready for the tracking page."""
    return (
        Application.objects.select_related("service", "unit__agency", "workflow")
        .only(*TRACKING_COLUMNS)
        .filter(reference=reference)
        .first()
    )


@dataclass(frozen=True)
class PublicEvent:
    """One line of the public timeline: when, what (the new state or a payment), no text."""

    at: datetime.datetime
    kind: str
    state: str
    label: str | Promise
    # The officer wrote a message with this step (read by the applicant after signing in).
    has_note: bool


def public_timeline(application: Application) -> list[PublicEvent]:
    """The public entries of the application's timeline, oldest first, in one query.

    State changes carry the label of the state entered (translated when shown); payment entries
    say what happened ("Bill issued", "Payment received") but not the billing code or the amount.
    The notes themselves are never loaded, only whether there is one.
    """
    definition = application.definition()
    rows: Any = (
        ApplicationEvent.objects.filter(case_id=application.pk, kind__in=PUBLIC_EVENT_KINDS, is_public=True)
        .annotate(has_note=ExpressionWrapper(~Q(note=""), output_field=BooleanField()))
        .order_by("at", "id")
        .values_list("at", "kind", "to_state", "has_note", "data")
    )
    events: list[PublicEvent] = []
    for at, kind, to_state, has_note, data in rows:
        label: str | Promise
        if kind == TimelineEvent.Kind.PAYMENT:
            what = data.get("event") if isinstance(data, dict) else None
            label = PAYMENT_LABELS.get(str(what), _("Payment"))
        elif definition.has_state(to_state):
            label = definition.state(to_state).display_label
        else:
            label = to_state
        events.append(PublicEvent(at=at, kind=kind, state=to_state, label=label, has_note=bool(has_note)))
    return events


__all__ = [
    "PAYMENT_LABELS",
    "PUBLIC_EVENT_KINDS",
    "TRACKING_COLUMNS",
    "PublicEvent",
    "application_for_tracking",
    "public_timeline",
]
