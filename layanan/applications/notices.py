"""Messages about applications, through the one notification service (delivered after commit).

The applicant hears about every change they can see (``TimelineEvent.is_public``) on the channel of
their account: e-mail when they have one, else SMS. Unit heads hear about escalations. Messages carry
the reference and the state, never personal data from the form.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from layanan.accounts.models import User
from layanan.accounts.roles import Role
from layanan.applications.models import Application
from layanan.notifications.actions import notify
from layanan.workflow.deadlines import Deadline
from layanan.workflow.models import TimelineEvent


def contact_of(user: User | None) -> tuple[str, str] | None:
    """(channel, address) to reach a person, or None."""
    if user is None:
        return None
    if user.email:
        return "email", user.email
    if user.phone:
        return "sms", user.phone
    return None


def _tracking_url() -> str:
    return f"{settings.LAYANAN_SITE_URL.rstrip('/')}{reverse('applications:track')}"


def application_received(application: Application, secret: str) -> None:
    contact = contact_of(application.applicant)
    if contact is None:
        return
    channel, address = contact
    notify(
        channel=channel,
        address=address,
        template="application_received",
        context={
            "reference": application.reference,
            "service": application.service.name,
            "secret": secret,
            "tracking_url": _tracking_url(),
        },
        recipient=application.applicant,
        language=application.language,
    )


def state_changed(application: Application, event: TimelineEvent) -> None:
    if not event.is_public:
        return
    contact = contact_of(application.applicant)
    if contact is None:
        return
    channel, address = contact
    state = application.definition().state(event.to_state)
    notify(
        channel=channel,
        address=address,
        template="application_state",
        context={
            "reference": application.reference,
            "service": application.service.name,
            "state": state.label,
            "state_key": state.key,
            "note": bool(event.note),
            "tracking_url": _tracking_url(),
        },
        recipient=application.applicant,
        language=application.language,
    )


def escalated(application: Application, deadlines: list[Deadline]) -> None:
    heads = User.objects.filter(
        memberships__is_active=True,
        memberships__role=Role.UNIT_HEAD,
        memberships__unit=application.unit,
    ).distinct()
    for head in heads:
        contact = contact_of(head)
        if contact is None:
            continue
        channel, address = contact
        notify(
            channel=channel,
            address=address,
            template="application_escalated",
            context={
                "reference": application.reference,
                "service": application.service.name,
                "due": min(d.due for d in deadlines).isoformat(),
                "deadlines": [d.kind for d in deadlines],
                "case_url": f"{settings.LAYANAN_SITE_URL.rstrip('/')}{application.get_staff_url()}",
            },
            recipient=head,
        )


__all__: list[Any] = ["application_received", "contact_of", "escalated", "state_changed"]
