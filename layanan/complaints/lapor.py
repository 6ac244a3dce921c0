"""SP4N-LAPOR! (the national complaint system) behind a small interface, both ways.

* **Out**: ``LaporGateway.forward(complaint)`` sends a report and returns LAPOR!'s tracking id
  (``actions.forward_to_lapor`` stores it). ``settings.LAYANAN_LAPOR_GATEWAY`` names the
  implementation; the default, ``SimulatedLapor``, is a working local stand-in for development and
  tests that keeps what it received in the process-local log ``forwarded`` and answers with
  tracking ids in LAPOR!'s format (``LAPOR-`` and ten digits).
* **In**: LAPOR! sends a report to ``POST /api/v1/lapor/reports`` as JSON (``INBOUND_SCHEMA``,
  the same Indonesian field names as the outbound payload plus ``id_lapor``), signed with
  ``X-Layanan-Signature: sha256=<hex HMAC-SHA256 of the raw body>`` under a shared secret (the
  scheme of the payment callbacks, ``layanan.payments.provider``). ``receive_report`` verifies it
  and files the report through ``actions.submit_complaint`` with ``channel="lapor"``; the tracking
  id is its idempotency key, so a redelivery answers the first report.
  ``SimulatedLapor.inbound_report`` and ``deliver_inbound`` play LAPOR!'s side (in process, or
  over HTTP to a running server): ``layanan lapor_simulate_inbound``.

The shared secret is ``settings.LAYANAN_LAPOR_SECRET`` (a key ring ``"id:base64"``; the first key
signs). Outside production a missing setting falls back to a key derived from ``SECRET_KEY``, so
the simulator and the dev server agree without setup; in production it must be set, else every
inbound report is refused. A real gateway needs credentials issued by KemenPANRB and is not part
of this repository.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from layanan.complaints import actions
from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintKind
from layanan.payments.provider import SIGNATURE_HEADER, sign_body, verify_signature
from layanan.regions.models import Region

__all__ = [
    "INBOUND_SCHEMA",
    "MAX_REPORT_BYTES",
    "SIGNATURE_HEADER",
    "LaporGateway",
    "MalformedReport",
    "SimulatedLapor",
    "lapor_gateway",
    "lapor_payload",
    "lapor_secret",
    "receive_report",
    "signed_headers",
]

MAX_REPORT_BYTES = 64 * 1024
LAPOR_SCOPE = "lapor"
# Reports in a LAPOR! category the platform does not know land here; the coordinator recategorises.
FALLBACK_CATEGORY = "lainnya"
_SECRET_SALT = "layanan.complaints.lapor.inbound"  # noqa: S105 (a key-derivation salt)
_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")

INBOUND_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id_lapor", "judul", "isi", "lokasi"],
    "properties": {
        "id_lapor": {"type": "string", "maxLength": 40, "description": "LAPOR!'s tracking id."},
        "jenis": {"type": "string", "enum": [k.value for k in ComplaintKind], "default": "pengaduan"},
        "judul": {"type": "string", "maxLength": 200},
        "isi": {"type": "string", "maxLength": 5000},
        "tanggal_kejadian": {"type": ["string", "null"], "format": "date"},
        "kategori": {"type": "string", "description": "Category slug; unknown ones go to `lainnya`."},
        "lokasi": {"type": "string", "description": "Region code (regency or below), e.g. `33.74`."},
        "atribut": {"type": "object", "description": "Answers to the category's attributes, by code."},
        "anonim": {"type": "boolean", "default": False},
        "rahasia": {"type": "boolean", "default": False},
        "pelapor": {
            "type": "object",
            "properties": {
                "nama": {"type": "string"},
                "email": {"type": "string"},
                "telepon": {"type": "string"},
            },
        },
    },
}


class MalformedReport(ValueError):
    """A correctly signed body that is not a JSON object."""


class LaporGateway(Protocol):
    def forward(self, complaint: Any) -> str:
        """Send ``complaint`` to SP4N-LAPOR! and return its tracking id there."""


def lapor_payload(complaint: Any) -> dict[str, Any]:
    """What is sent: the report's content and place, never an anonymous reporter's identity."""
    payload: dict[str, Any] = {
        "jenis": complaint.kind,
        "judul": complaint.title,
        "isi": complaint.body,
        "tanggal_kejadian": complaint.incident_date.isoformat() if complaint.incident_date else None,
        "kategori": complaint.category.slug,
        "lokasi": complaint.region_id,
        "anonim": complaint.is_anonymous,
        "rahasia": complaint.is_confidential,
        "referensi_asal": complaint.reference,
    }
    if not complaint.is_anonymous:
        details = complaint.reporter_details()
        payload["pelapor"] = {"nama": details.get("name", "")}
    return payload


# --- The shared secret and signatures -------------------------------------------------------------


def lapor_secret() -> bytes:
    """The secret shared with SP4N-LAPOR! (empty in production when not configured: refuse all)."""
    configured = str(getattr(settings, "LAYANAN_LAPOR_SECRET", "") or "").strip()
    if configured:
        _key_id, _sep, encoded = configured.split(",")[0].strip().partition(":")
        return base64.b64decode(encoded.strip().translate(_URLSAFE_TO_STANDARD), validate=True)
    if getattr(settings, "IS_PRODUCTION", False):
        return b""
    return salted_hmac(_SECRET_SALT, "development", algorithm="sha256").digest()


def signed_headers(body: bytes) -> dict[str, str]:
    """The headers LAPOR! sends with ``body``."""
    return {"Content-Type": "application/json", SIGNATURE_HEADER: sign_body(body, lapor_secret())}


# --- Inbound --------------------------------------------------------------------------------------


def _decode(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedReport("not JSON") from error
    if not isinstance(data, dict):
        raise MalformedReport("not a JSON object")
    return data


def _text(data: Mapping[str, Any], key: str, errors: dict[str, list[str]]) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.setdefault(key, []).append(gettext("Send text here."))
        return ""
    return value


def _flag(data: Mapping[str, Any], key: str, errors: dict[str, list[str]]) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        errors.setdefault(key, []).append(gettext("Send true or false."))
        return False
    return value


def _parse(data: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``submit_complaint`` from a LAPOR! report; ValidationError (per
    LAPOR! field) for what cannot even be looked up."""
    errors: dict[str, list[str]] = {}
    tracking_id = _text(data, "id_lapor", errors).strip()
    if not tracking_id or len(tracking_id) > 40 or not tracking_id.isprintable() or " " in tracking_id:
        errors.setdefault("id_lapor", []).append(gettext("Send LAPOR!'s tracking id (1 to 40 characters)."))
    kind = _text(data, "jenis", errors) or ComplaintKind.COMPLAINT.value
    slug = _text(data, "kategori", errors)
    category = ComplaintCategory.objects.filter(slug=slug, is_active=True).first() if slug else None
    if category is None and kind != ComplaintKind.WHISTLEBLOWING:
        category = ComplaintCategory.objects.filter(slug=FALLBACK_CATEGORY, is_active=True).first()
    region = Region.objects.filter(code=_text(data, "lokasi", errors).strip()).first()
    if region is None:
        errors.setdefault("lokasi", []).append(gettext("No region has this code."))
    incident_date = None
    if data.get("tanggal_kejadian"):
        try:
            incident_date = datetime.date.fromisoformat(str(data["tanggal_kejadian"]))
        except ValueError:
            errors.setdefault("tanggal_kejadian", []).append(gettext("Send a date as YYYY-MM-DD."))
    answers = data.get("atribut") or {}
    if not isinstance(answers, dict):
        errors.setdefault("atribut", []).append(gettext("This value is not valid."))
        answers = {}
    person = data.get("pelapor") or {}
    if not isinstance(person, dict):
        errors.setdefault("pelapor", []).append(gettext("This value is not valid."))
        person = {}
    arguments = {
        "kind": kind,
        "category": category,
        "title": _text(data, "judul", errors),
        "body": _text(data, "isi", errors),
        "region": region,
        "incident_date": incident_date,
        "attributes": answers,
        "is_anonymous": _flag(data, "anonim", errors),
        "is_confidential": _flag(data, "rahasia", errors),
        "reporter_details": {
            "name": str(person.get("nama") or ""),
            "email": str(person.get("email") or ""),
            "phone": str(person.get("telepon") or ""),
        },
        "idempotency_key": tracking_id,
    }
    if errors:
        raise ValidationError(errors, code="invalid")
    return arguments


# The complaint's fields, as the action names them, under LAPOR!'s names (for error messages).
_LAPOR_FIELDS = {
    "kind": "jenis",
    "category": "kategori",
    "title": "judul",
    "body": "isi",
    "region": "lokasi",
    "incident_date": "tanggal_kejadian",
}


@transaction.atomic
def receive_report(
    body: bytes, headers: Mapping[str, str], *, now: datetime.datetime | None = None
) -> actions.ComplaintSubmission:
    """File a report received from SP4N-LAPOR!: signature first, then idempotency by its tracking
    id. Raises ``InvalidSignature``, ``MalformedReport`` or ``ValidationError``."""
    verify_signature(body, headers, lapor_secret())
    arguments = _parse(_decode(body))
    try:
        submission = actions.submit_complaint(
            channel=Complaint.Channel.LAPOR,
            actor=None,
            idempotency_scope=LAPOR_SCOPE,
            language="id",
            now=now,
            lapor_tracking_id=arguments["idempotency_key"],
            **arguments,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {_LAPOR_FIELDS.get(field, field): messages for field, messages in error.error_dict.items()},
            code="invalid",
        ) from error
    return submission


# --- The simulator --------------------------------------------------------------------------------


def new_tracking_id() -> str:
    return f"LAPOR-{secrets.randbelow(10**10):010d}"


class SimulatedLapor:
    """A local SP4N-LAPOR!: accepts every report and gives it a tracking id derived from it; and
    plays LAPOR! sending a report to the platform."""

    forwarded: list[dict[str, Any]] = []

    def forward(self, complaint: Any) -> str:
        payload = lapor_payload(complaint)
        digest = hashlib.sha256(complaint.reference.encode()).hexdigest()
        tracking_id = f"LAPOR-{int(digest[:12], 16) % 10**10:010d}"
        self.forwarded.append({"tracking_id": tracking_id, **payload})
        return tracking_id

    @staticmethod
    def inbound_report(
        *,
        title: str,
        body: str,
        region: str,
        category: str = FALLBACK_CATEGORY,
        kind: str = ComplaintKind.COMPLAINT.value,
        incident_date: datetime.date | None = None,
        anonymous: bool = False,
        confidential: bool = False,
        reporter_name: str = "",
        attributes: Mapping[str, Any] | None = None,
        tracking_id: str | None = None,
    ) -> dict[str, Any]:
        """A report as LAPOR! sends it (a new tracking id unless one is given)."""
        report: dict[str, Any] = {
            "id_lapor": tracking_id or new_tracking_id(),
            "jenis": kind,
            "judul": title,
            "isi": body,
            "tanggal_kejadian": incident_date.isoformat() if incident_date else None,
            "kategori": category,
            "lokasi": region,
            "anonim": anonymous,
            "rahasia": confidential,
        }
        if attributes:
            report["atribut"] = dict(attributes)
        if reporter_name:
            report["pelapor"] = {"nama": reporter_name}
        return report

    @staticmethod
    def deliver_inbound(
        report: Mapping[str, Any], *, url: str | None = None, timeout: float = 10.0
    ) -> tuple[int, dict[str, Any]]:
        """Sign ``report`` and deliver it: POST to ``url`` (a running server's
        ``/api/v1/lapor/reports``), or in this process when ``url`` is None. Returns the HTTP
        status and the JSON answer."""
        body = json.dumps(report, ensure_ascii=False).encode()
        if url is None:
            submission = receive_report(body, signed_headers(body))
            answer = {
                "reference": submission.complaint.reference,
                "lapor_tracking_id": submission.complaint.lapor_tracking_id,
                "created": submission.created,
            }
            return (201 if submission.created else 200), answer
        if not url.startswith(("http://", "https://")):
            raise ValueError("the URL must start with http:// or https://")
        request = urllib.request.Request(url, data=body, headers=signed_headers(body), method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return int(response.status), json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            content = error.read()
            try:
                return int(error.code), json.loads(content or b"{}")
            except ValueError:
                return int(error.code), {"code": "error", "message": content.decode(errors="replace")}


@cache
def _gateway_class(path: str) -> type[LaporGateway]:
    return import_string(path)  # type: ignore[no-any-return]


def lapor_gateway() -> LaporGateway:
    path = getattr(settings, "LAYANAN_LAPOR_GATEWAY", "layanan.complaints.lapor.SimulatedLapor")
    return _gateway_class(path)()
