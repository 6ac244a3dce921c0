"""Messages about applications, through the one notification service (delivered after commit).

* The applicant hears about every change they can see: the application received (with the
  tracking code, the only time it is sent) and every public state change
  (``TimelineEvent.is_public``), one message per change, in the language the application was made
  in (``Application.language``). A payment received is told by ``billing.record_payment_notice``
  (template ``application_paid``, with the receipt), through ``contact_of`` as well.
* The unit head hears about escalations (overdue deadlines), in the site's default language.

The channel follows the account, with no preference field: e-mail when the account has an e-mail
address, otherwise its phone number by SMS, or by WhatsApp when
``settings.LAYANAN_NOTIFY_PHONE_CHANNEL == "whatsapp"``. Messages carry the reference, the service
name, the state and the tracking address; never personal data from the form, nor the officer's note
(only that there is one: the applicant reads it after signing in). Templates are
``templates/notifications/messages/application_*.{subject,body}.txt``; the bodies stay short
enough for one SMS.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from layanan.accounts.models import User
from layanan.accounts.roles import Role
from layanan.applications.models import Application
from layanan.notifications.actions import notify
from layanan.notifications.addresses import PHONE_CHANNELS, contact_of, phone_channel
from layanan.workflow.deadlines import Deadline
from layanan.workflow.models import TimelineEvent


def tracking_url() -> str:
    """The public tracking page, absolute (the reference and the code are typed there)."""
    return f"{settings.LAYANAN_SITE_URL.rstrip('/')}{reverse('applications:track')}"


def _to_applicant(application: Application, template: str, context: dict[str, object]) -> None:
    contact = contact_of(application.applicant)
    if contact is None:
        return
    channel, address = contact
    notify(
        channel=channel,
        address=address,
        template=template,
        context={
            "reference": application.reference,
            "service": application.service.name,
            "tracking_url": tracking_url(),
            **context,
        },
        recipient=application.applicant,
        language=application.language,
    )


def application_received(application: Application, secret: str) -> None:
    """The application was made: its reference and tracking code (sent this once only)."""
    _to_applicant(application, "application_received", {"secret": secret})


def state_changed(application: Application, event: TimelineEvent) -> None:
    """A public state change. ``note`` says only *whether* the officer wrote something."""
    if not event.is_public or event.kind != TimelineEvent.Kind.TRANSITION:
        return
    definition = application.definition()
    if not definition.has_state(event.to_state):
        return
    state = definition.state(event.to_state)
    _to_applicant(
        application,
        "application_state",
        {"state": state.label, "state_key": state.key, "note": bool(event.note.strip())},
    )


def escalated(application: Application, deadlines: list[Deadline]) -> None:
    """Overdue deadlines: a message to each active unit head of the application's unit."""
    if not deadlines:
        return
    heads = User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role=Role.UNIT_HEAD,
        memberships__unit=application.unit,
    ).distinct()
    case_url = f"{settings.LAYANAN_SITE_URL.rstrip('/')}{application.get_staff_url()}"
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
                "deadlines": sorted({d.kind for d in deadlines}),
                "case_url": case_url,
            },
            recipient=head,
            language=settings.LANGUAGE_CODE,
        )


__all__ = [
    "PHONE_CHANNELS",
    "application_received",
    "contact_of",
    "escalated",
    "phone_channel",
    "state_changed",
    "tracking_url",
]
