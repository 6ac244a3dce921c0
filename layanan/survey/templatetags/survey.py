"""``{% survey_invitation reference %}``: the "rate this service" box on a finished application's
pages (the citizen's own page and the tracking page), with the link and its QR code."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from layanan.documents.pdf import qr_svg
from layanan.survey.actions import application_source_key, application_token
from layanan.survey.models import SurveyInvitation

register = template.Library()


@register.inclusion_tag("survey/_invitation.html")
def survey_invitation(reference: str) -> dict[str, Any]:
    invitation = (
        SurveyInvitation.objects.filter(source_key=application_source_key(reference))
        .only("answered", "expires_on")
        .first()
    )
    if invitation is None:
        return {"state": ""}
    if invitation.answered:
        return {"state": "answered"}
    if invitation.expires_on < timezone.localdate():
        return {"state": "expired"}
    path = reverse("survey:answer", kwargs={"token": application_token(reference)})
    url = f"{settings.LAYANAN_SITE_URL}{path}"
    return {
        "state": "open",
        "path": path,
        "expires_on": invitation.expires_on,
        "qr": qr_svg(url, scale=3, title=_("QR code of the satisfaction survey")),
    }
