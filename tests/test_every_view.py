"""Every URL of the platform, for every persona: no 500, and the staff area is closed to
visitors and citizens without changing anything.

New URLs are picked up automatically; a URL with parameters needs an entry in ``KWARGS`` (the test
fails and says so), so no view can be added without being exercised here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from layanan.accounts.models import StaffMembership, User
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.core.testing import verified_client
from layanan.workdays.models import Holiday

PERSONAS = (
    "anonymous",
    "siti.aminah",
    "petugas.loket",
    "verifikator",
    "kepala.unit",
    "koordinator",
    "inspektorat",
    "admin",
)
# Public pages whose POST legitimately writes for a visitor (sign-in codes, preferences).
PUBLIC_POSTS = {
    "portal:set-language",
    "portal:set-display",
    "accounts:signup",
    "accounts:signin",
    "accounts:signin-code",
    "accounts:signin-code-resend",
    "accounts:staff-signin",
    "accounts:password-reset",
    "accounts:signout",
}


def _url_names() -> Iterator[tuple[str, str]]:
    def walk(patterns: list[Any], namespace: str | None) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner != "admin":
                    yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, None)


def _kwargs() -> dict[str, dict[str, Any]]:
    service = Service.objects.filter(adopted_standard__isnull=False).select_related("unit__agency").first()
    assert service is not None
    unit = service.unit
    holiday = Holiday.objects.order_by("date").first()
    membership = StaffMembership.objects.filter(user__username="petugas.loket").first()
    assert membership is not None
    version = service.adopted_standard.version if service.adopted_standard else 1
    service_kwargs = {"slug": service.slug}
    standard_kwargs = {"slug": service.slug, "version": version}
    return {
        "api-v1:get_service": {"slug": service.slug},
        "accounts:agency-detail": {"slug": unit.agency.slug},
        "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "set-password"},
        "accounts:membership-deactivate": {"public_id": membership.public_id},
        "workdays:holiday-remove": {
            "on": holiday.date if holiday else date(2026, 1, 1),
            "kind": "libur-nasional",
            "name": "tahun-baru",
        },
        "workdays:closure-remove": {"agency": unit.agency.slug, "unit": unit.slug, "on": date(2030, 1, 2)},
        "audit:event-detail": {"stream": 0, "sequence": 1},
        "catalog:life-event": {"key": "kelahiran"},
        "catalog:agency-services": {"slug": unit.agency.slug},
        "catalog:service-detail": service_kwargs,
        "catalog:service-print": service_kwargs,
        "catalog:staff-service-detail": service_kwargs,
        "catalog:staff-draft-start": service_kwargs,
        "catalog:staff-standard-detail": standard_kwargs,
        "catalog:staff-standard-edit": standard_kwargs,
        "catalog:staff-standard-diff": standard_kwargs,
        "catalog:staff-standard-consult": standard_kwargs,
        "catalog:staff-standard-return": standard_kwargs,
        "catalog:staff-standard-adopt": standard_kwargs,
        "catalog:staff-promise-edit": {"agency": unit.agency.slug, "unit": unit.slug},
    }


def _param_defaults() -> dict[str, Any]:
    """Values for URL parameters by name, for URLs not listed in ``_kwargs`` (applications and
    the vault name their parameters consistently; an unknown object gives a 404, which is fine)."""
    from layanan.applications.models import Application, ApplicationDraft
    from layanan.complaints.models import Complaint, ComplaintAttachment, ComplaintCategory
    from layanan.queueing.models import Counter, Ticket
    from layanan.survey.models import FollowUpAction, SurveyReport
    from layanan.vault.models import VaultDocument

    service = Service.objects.filter(adopted_standard__isnull=False).first()
    application = Application.objects.order_by("pk").first()
    document = VaultDocument.objects.order_by("pk").first()
    draft = ApplicationDraft.objects.order_by("pk").first()
    complaint = Complaint.objects.order_by("pk").first()
    attachment = ComplaintAttachment.objects.order_by("pk").first()
    category = ComplaintCategory.objects.order_by("pk").first()
    agency = service.unit.agency if service else None
    report = SurveyReport.objects.select_related("unit__agency").order_by("pk").first()
    follow_up = FollowUpAction.objects.order_by("pk").first()
    desk = Counter.objects.select_related("site").order_by("pk").first()
    ticket = Ticket.objects.order_by("pk").first()
    return {
        "site_slug": desk.site.slug if desk else "mpp",
        "number": desk.number if desk else 1,
        "ticket_id": ticket.public_id if ticket else uuid.UUID(int=6),
        "step": "selesai",
        "agency_slug": report.unit.agency.slug if report else "instansi",
        "unit_slug": report.unit.slug if report else "unit",
        "period_key": report.period_key if report else "2026-T1",
        "public_id": follow_up.public_id if follow_up else uuid.UUID(int=5),
        "complaint": complaint.reference if complaint else "ADU-2026-000001-5",
        "attachment": attachment.public_id if attachment else uuid.UUID(int=3),
        "category": category.slug if category else "lainnya",
        "agency": agency.slug if agency else "instansi",
        "token": uuid.UUID(int=4),
        "region": "nasional",
        "slug": service.slug if service else "layanan",
        "reference": application.reference if application else "PBG-2026-000001-2",
        "document": document.public_id if document else uuid.UUID(int=1),
        "draft": draft.public_id if draft else uuid.UUID(int=2),
        "page": "pemohon",
        "transition": "start_check",
        "field": "nik",
        "document_id": "D0000000000000000",
        "billing_code": "900000000000000",
    }


def _fill(route: str, defaults: dict[str, Any]) -> dict[str, Any] | None:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not all(name in defaults for name in names):
        return None
    return {name: defaults[name] for name in names}


def _client(persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    user = User.objects.get(username=persona)
    if user.kind == User.Kind.STAFF:
        return verified_client(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_url_answers_every_persona_without_a_server_error() -> None:
    call_command("load_demo", "--skip-holidays", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_holidays", "--years", "2026", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kwargs = _kwargs()
    defaults = _param_defaults()
    failures = []

    for name, route in _url_names():
        if "<" in route and name not in kwargs:
            filled = _fill(route, defaults)
            if filled is None:
                failures.append(f"{name}: add its URL parameters to KWARGS in this test")
                continue
            kwargs[name] = filled
        url = reverse(name, kwargs=kwargs.get(name))
        for persona in PERSONAS:
            client = _client(persona)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} as {persona}: {response.status_code}")

    assert failures == []


@pytest.mark.django_db
def test_staff_area_is_closed_to_visitors_and_citizens_and_their_posts_change_nothing() -> None:
    call_command("load_demo", "--skip-holidays", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kwargs = _kwargs()
    defaults = _param_defaults()
    events_before = AuditEvent.objects.count()
    problems = []

    for name, route in _url_names():
        if not route.startswith("petugas/") or name in PUBLIC_POSTS or name.startswith("accounts:password"):
            continue
        if "<" in route and name not in kwargs:
            kwargs[name] = _fill(route, defaults) or {}
        if name in {"accounts:staff-signin", "accounts:staff-otp", "accounts:staff-otp-enrol"}:
            continue
        url = reverse(name, kwargs=kwargs.get(name))
        anonymous = Client().get(url)
        if anonymous.status_code not in (302, 405):
            problems.append(f"anonymous GET {url}: {anonymous.status_code}")
        elif anonymous.status_code == 302 and "/petugas/masuk/" not in anonymous["Location"]:
            problems.append(f"anonymous GET {url} goes to {anonymous['Location']}")
        citizen = _client("siti.aminah")
        for method in ("get", "post"):
            status = getattr(citizen, method)(url).status_code
            if status not in (403, 405):
                problems.append(f"citizen {method.upper()} {url}: {status}")
        Client().post(url, {"decree_number": "X", "decree_date": "2026-01-02"})

    assert problems == []
    assert AuditEvent.objects.count() == events_before
