"""Accept now, process next: the fast intake path for the REST API (Open311 and SP4N-LAPOR! may use it too).

``accept_complaint`` validates a report exactly as ``submit_complaint`` does, gives it its
reference (from a block of numbers this process reserved) and its tracking secret, and stores it
in one INSERT (``ComplaintIntake``, encrypted). ``process_intake`` then makes the complaint through
``submit_complaint`` with that reference and secret: workflow, timeline, audit event, routing
suggestion and the reporter's notification.

Who processes, by ``settings.LAYANAN_COMPLAINT_INTAKE``:

* ``"task"`` (default): a task is enqueued after the commit. With the ``immediate`` task backend
  (development, tests) the complaint exists when the response is sent; with the database backend
  the task worker makes it.
* ``"poll"``: no task per report; ``layanan process_complaint_intake --loop`` drains the pending
  rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers can share the work). This is
  the cheapest per request.

Reads must therefore expect a reference that is accepted but not processed yet for a moment:
``pending_by_reference`` answers for those.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import Agency, User
from layanan.catalog.models import Service
from layanan.complaints.actions import (
    ComplaintSubmission,
    _check_submitter,
    _clean_text,
    _fingerprint,
    _validate,
    submit_complaint,
)
from layanan.complaints.models import (
    REFERENCE_PREFIXES,
    Complaint,
    ComplaintCategory,
    ComplaintIntake,
    ComplaintKind,
)
from layanan.core.references import make_reference, secret_digest, tracking_secret
from layanan.regions.models import Region
from layanan.workflow import engine

MACHINE_CHANNELS = frozenset({Complaint.Channel.API, Complaint.Channel.OPEN311, Complaint.Channel.LAPOR})


@dataclasses.dataclass(frozen=True)
class Accepted:
    intake: ComplaintIntake
    reference: str
    # Shown once (None when a retry found the earlier report).
    secret: str | None
    created: bool

    @property
    def token(self) -> str:
        return str(self.intake.token)


# References --------------------------------------------------------------------------------------


class _ReferenceBlocks:
    """Sequence numbers reserved in blocks (``settings.LAYANAN_REFERENCE_BLOCK``) per process, so
    accepting a report takes no lock on the shared counter. A restart leaves a gap, never a
    duplicate."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blocks: dict[tuple[str, int], list[int]] = {}

    def next(self, prefix: str, year: int) -> str:
        size = max(1, int(getattr(settings, "LAYANAN_REFERENCE_BLOCK", 1)))
        if size == 1:
            return make_reference(prefix, year, engine.reserve_reference_numbers(prefix, year, 1)[0])
        with self._lock:
            free = self._blocks.get((prefix, year))
            if not free:
                free = list(reversed(engine.reserve_reference_numbers(prefix, year, size)))
                self._blocks[(prefix, year)] = free
            return make_reference(prefix, year, free.pop())

    def clear(self) -> None:
        with self._lock:
            self._blocks.clear()


reference_blocks = _ReferenceBlocks()


# Look-ups ----------------------------------------------------------------------------------------


def _category(slug: str) -> ComplaintCategory | None:
    return ComplaintCategory.objects.filter(slug=slug, is_active=True).first() if slug else None


def _region(code: str) -> Region | None:
    return Region.objects.filter(code=code).only("code", "level").first() if code else None


# Accepting ---------------------------------------------------------------------------------------


def accept_complaint(
    *,
    kind: str,
    category_slug: str,
    title: str,
    body: str,
    region_code: str,
    actor: Any,
    channel: str,
    incident_date: date | None = None,
    location_text: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    target_agency: str = "",
    target_service: str = "",
    attributes: dict[str, Any] | None = None,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    reporter_details: dict[str, str] | None = None,
    idempotency_scope: str = "",
    idempotency_key: str = "",
    language: str | None = None,
    category: ComplaintCategory | None = None,
    region: Region | None = None,
    now: datetime | None = None,
) -> Accepted:
    """Validate and store a report from a machine channel; see the module docstring.

    Raises ``ValidationError`` (a dict of field → messages) and ``PermissionDenied`` exactly as
    ``submit_complaint`` would, before anything is stored. ``category``/``region`` may be passed
    when the caller has looked them up already.
    """
    if channel not in MACHINE_CHANNELS:
        raise ValidationError(_("Unknown channel."), code="channel")
    reporter = actor if getattr(actor, "is_authenticated", False) else None
    _check_submitter(channel, actor, reporter)
    at = now or timezone.now()
    title = _clean_text(title)
    body = str(body or "").strip()
    attributes = {str(k): v for k, v in (attributes or {}).items()}
    key = idempotency_key.strip()[:80]
    scope = (idempotency_scope or (f"user:{actor.pk}" if reporter is not None else ""))[:80]
    fingerprint = _fingerprint(
        {
            "kind": kind,
            "category": category_slug,
            "title": title,
            "body": body,
            "region": region_code,
            "anonymous": bool(is_anonymous),
        }
    )
    # A retry is found by the unique (scope, key) constraint when the row is inserted, not by a
    # look-up first: accepting stays one statement.

    category = category if category is not None else _category(category_slug)
    region = region if region is not None else _region(region_code)
    agency = Agency.objects.filter(slug=target_agency).first() if target_agency else None
    service = Service.objects.filter(slug=target_service).first() if target_service else None
    errors = _validate(
        kind=kind,
        category=category,
        title=title,
        body=body,
        region=region,
        incident_date=incident_date,
        latitude=latitude,
        longitude=longitude,
        attributes=attributes,
        now=at,
    )
    if target_agency and agency is None:
        errors.setdefault("target_agency", []).append(_("Unknown agency."))
    if target_service and service is None:
        errors.setdefault("target_service", []).append(_("Unknown service."))
    if errors:
        raise ValidationError(errors, code="invalid")

    secret = tracking_secret()
    reference = reference_blocks.next(REFERENCE_PREFIXES[ComplaintKind(kind)], timezone.localtime(at).year)
    payload = {
        "kind": kind,
        "category": category_slug,
        "title": title,
        "body": body,
        "region": region_code,
        "incident_date": incident_date.isoformat() if incident_date else None,
        "location_text": location_text,
        "latitude": str(latitude) if latitude is not None else None,
        "longitude": str(longitude) if longitude is not None else None,
        "target_agency": target_agency,
        "target_service": target_service,
        "attributes": attributes,
        "is_anonymous": bool(is_anonymous),
        "is_confidential": bool(is_confidential),
        "reporter": reporter.pk if reporter is not None else None,
        "reporter_details": {k: str(v) for k, v in (reporter_details or {}).items() if v},
        "language": (language or translation.get_language() or "id")[:5],
        "secret": secret,
    }
    intake = ComplaintIntake(
        reference=reference,
        channel=channel,
        payload=json.dumps(payload, ensure_ascii=False),
        tracking_secret_digest=secret_digest(secret),
        idempotency_scope=scope if key else "",
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
        received_at=at,
    )
    try:
        with transaction.atomic():
            intake.save(force_insert=True)
            if _mode() == "task":
                transaction.on_commit(lambda: _enqueue(intake.pk), robust=True)
    except IntegrityError:
        earlier = _earlier(scope, key, fingerprint) if key else None
        if earlier is None:
            raise
        return Accepted(earlier, earlier.reference, None, created=False)
    return Accepted(intake, reference, secret, created=True)


def _earlier(scope: str, key: str, fingerprint: str) -> ComplaintIntake | None:
    earlier = ComplaintIntake.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
    if earlier is not None and earlier.idempotency_fingerprint != fingerprint:
        raise ValidationError(
            _("This idempotency key was already used for a different report."), code="idempotency_key_reused"
        )
    return earlier


def _mode() -> str:
    mode = getattr(settings, "LAYANAN_COMPLAINT_INTAKE", "task")
    return mode if mode in {"task", "poll"} else "task"


def _enqueue(pk: int) -> None:
    from layanan.complaints.tasks_intake import process_intake_task

    process_intake_task.enqueue(pk)


# Processing --------------------------------------------------------------------------------------


def process_intake(pk: int) -> Complaint | None:
    """Make the complaint of one accepted report (once, however often it is called)."""
    with transaction.atomic():
        query = ComplaintIntake.objects.select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked
        )
        intake = query.filter(pk=pk, processed_at__isnull=True).first()
        if intake is None:
            return None
        data = json.loads(intake.payload or "{}")
        try:
            with transaction.atomic():
                submission = _submit(intake, data)
        except (ValidationError, PermissionDenied) as error:
            intake.error = "; ".join(str(m) for m in getattr(error, "messages", [str(error)]))
            intake.processed_at = timezone.now()
            intake.save(update_fields=["error", "processed_at"])
            return None
        data.pop("secret", None)
        intake.payload = json.dumps(data, ensure_ascii=False)
        intake.complaint = submission.complaint
        intake.processed_at = timezone.now()
        intake.save(update_fields=["payload", "complaint", "processed_at"])
        return submission.complaint


def _submit(intake: ComplaintIntake, data: dict[str, Any]) -> ComplaintSubmission:
    reporter = User.objects.filter(pk=data["reporter"]).first() if data.get("reporter") else None
    with translation.override(data.get("language") or "id"):
        return submit_complaint(
            kind=data["kind"],
            category=_category(data["category"]),
            title=data["title"],
            body=data["body"],
            region=_region(data["region"]),
            actor=reporter,
            channel=intake.channel,
            incident_date=date.fromisoformat(data["incident_date"]) if data.get("incident_date") else None,
            location_text=data.get("location_text", ""),
            latitude=Decimal(data["latitude"]) if data.get("latitude") else None,
            longitude=Decimal(data["longitude"]) if data.get("longitude") else None,
            target_agency=Agency.objects.filter(slug=data["target_agency"]).first()
            if data.get("target_agency")
            else None,
            target_service=Service.objects.filter(slug=data["target_service"]).first()
            if data.get("target_service")
            else None,
            attributes=data.get("attributes") or {},
            is_anonymous=bool(data.get("is_anonymous")),
            is_confidential=bool(data.get("is_confidential")),
            reporter=reporter,
            reporter_details=data.get("reporter_details") or {},
            language=data.get("language"),
            now=intake.received_at,
            preset=(intake.reference, data["secret"]),
        )


def process_pending_intake(*, limit: int = 100) -> int:
    """Process up to ``limit`` accepted reports, oldest first; returns how many were processed."""
    pending = list(
        ComplaintIntake.objects.filter(processed_at__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in pending if process_intake(pk) is not None)


def pending_by_reference(reference: str) -> ComplaintIntake | None:
    """An accepted report not processed yet, by its reference (for tracking reads)."""
    return ComplaintIntake.objects.filter(reference=reference, complaint__isnull=True).first()
