"""Output documents: rendered to PDF, signed, stored, verifiable and revocable.

Issuing (``issue_output_document``, run by ``transition_application`` when a case enters
``output_issued``):

1. a short random public id (``D`` + 16 base32 characters) that reveals nothing about the case;
2. the HTML of ``applications/output/<service slug>.html`` (or ``default.html``), in Indonesian
   (UU 24/2009: official documents are in Bahasa Indonesia), with the QR code of the
   verification URL that holds the public id only;
3. WeasyPrint renders it (``PdfUnavailable`` becomes a ``ValidationError`` naming the Debian
   packages, so the transition is rolled back and the officer reads what to install);
4. the key facts printed on the document and the PDF's SHA-256 are signed (Ed25519 key ring
   ``LAYANAN_SIGNING_KEYS``), the PDF is stored, and the ``IssuedDocument`` row keeps the hash,
   the key id, the signature and the facts. The signed payload is rebuilt from these when
   verifying (``build_payload``), so nothing else needs storing.

Verification (``verify_document``) answers VALID, REVOKED, INVALID or UNKNOWN; revocation is
checked first and independently of the signature. See ``docs/verifiable-documents.md``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import enum
import secrets
from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from layanan.applications.models import Application, ApplicationEvent, Bill, IssuedDocument
from layanan.applications.permissions import can_revoke_output, is_unit_officer
from layanan.audit.actions import record_event
from layanan.documents.pdf import DOCUMENT_ID_RE, PdfUnavailable, qr_svg, render_pdf, verification_url
from layanan.documents.signing import (
    Ed25519Signer,
    SignedStamp,
    Verdict,
    build_payload,
    sha256_hex,
    sign_document,
    verify_stamp,
)
from layanan.workflow import engine
from layanan.workflow.models import TimelineEvent

OUTPUT_STATE = "output_issued"
DOCUMENT_LANGUAGE = "id"
REVOCATION_REASON_MAX = 300
_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")


# Keys --------------------------------------------------------------------------------------------


@cache
def _signer_for(key_ring: str) -> Ed25519Signer:
    # env_keyring accepts URL-safe base64 (and generates it); the signer reads standard base64.
    entries = []
    for entry in key_ring.split(","):
        key_id, sep, encoded = entry.strip().partition(":")
        entries.append(f"{key_id}{sep}{encoded.strip().translate(_URLSAFE_TO_STANDARD)}")
    return Ed25519Signer(",".join(entries))


def document_signer() -> Ed25519Signer:
    """The signer over ``LAYANAN_SIGNING_KEYS`` (the first key signs, every key verifies)."""
    return _signer_for(str(settings.LAYANAN_SIGNING_KEYS))


def new_document_id() -> str:
    """``D`` + 16 base32 characters (80 random bits), e.g. ``DMFRGG43FMZXW6YTB``."""
    return "D" + base64.b32encode(secrets.token_bytes(10)).decode("ascii")


# Issuing -----------------------------------------------------------------------------------------


def applicant_name(application: Application) -> str:
    """The applicant's name as printed on the document: the form's full-name answer (never the
    NIK or any other personal data), else the account's full name."""
    from layanan.applications.actions import ensure_service_config, form_of

    answers = application.answer_data()
    keys = ["nama"]
    try:
        spec = form_of(ensure_service_config(application.service))
    except ValidationError:
        spec = None
    if spec is not None:
        keys = [f.key for f in spec.fields() if f.profile == "full_name"] + keys
    for key in keys:
        value = answers.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    applicant = application.applicant
    return applicant.full_name if applicant is not None else ""


def product_name(application: Application) -> str:
    components = application.standard.components()
    if components is not None and components.products:
        return components.products[0].name
    return application.service.name


def document_facts(application: Application, *, document_id: str, issued_at: Any) -> dict[str, str]:
    """The key facts printed on the document and signed with its hash (shown when verifying)."""
    decided = application.decided_at or issued_at
    return {
        "document_id": document_id,
        "title": product_name(application),
        "reference": application.reference,
        "service": application.service.name,
        "agency": application.unit.agency.name,
        "unit": application.unit.name,
        "applicant_name": applicant_name(application),
        "decided_on": timezone.localdate(decided).isoformat(),
        "issued_on": timezone.localdate(issued_at).isoformat(),
    }


def output_html(application: Application, facts: Mapping[str, str]) -> str:
    """The document's HTML: the service's own template if it has one, else the default."""
    url = verification_url(str(settings.LAYANAN_SITE_URL), facts["document_id"], None)
    template = select_template(
        [f"applications/output/{application.service.slug}.html", "applications/output/default.html"]
    )
    with translation.override(DOCUMENT_LANGUAGE):
        html: str = template.render(
            {
                "facts": facts,
                "decided_on": datetime.date.fromisoformat(facts["decided_on"]),
                "issued_on": datetime.date.fromisoformat(facts["issued_on"]),
                "application": application,
                "verification_url": url,
                "qr": qr_svg(url, title=str(_("Verification code of the document"))),
            }
        )
    return html


@transaction.atomic
def issue_output_document(application: Application, *, actor: Any) -> IssuedDocument:
    """Render, sign and store the output document of a case that has entered ``output_issued``.

    Raises ``ValidationError`` (nothing stored; the caller's transaction rolls back) when the
    case is not in that state, its fee is unpaid, or PDF output is not installed.
    """
    if not is_unit_officer(actor, application.unit):
        raise PermissionDenied
    if application.state != OUTPUT_STATE:
        raise ValidationError(
            _("The output is issued only with the step that issues it."), code="wrong_state"
        )
    if application.has_fee and not application.bills.filter(status=Bill.Status.PAID).exists():
        raise ValidationError(_("The fee has not been paid yet."), code="not_paid")
    issued_at = timezone.now()
    document_id = new_document_id()
    facts = document_facts(application, document_id=document_id, issued_at=issued_at)
    html = output_html(application, facts)
    try:
        pdf = render_pdf(html)
    except PdfUnavailable as exc:
        raise ValidationError(
            _("The document could not be made into a PDF on this server. %(detail)s"),
            code="pdf_unavailable",
            params={"detail": str(exc)},
        ) from exc
    pdf_sha256 = sha256_hex(pdf)
    stamp = sign_document(facts, pdf_sha256, signer=document_signer())
    document = IssuedDocument(
        public_id=document_id,
        application=application,
        title=facts["title"][:200],
        pdf_sha256=pdf_sha256,
        key_id=stamp.key_id,
        signature=stamp.signature,
        facts=facts,
        issued_at=issued_at,
        issued_by=actor,
    )
    document.pdf.save(f"{document_id}.pdf", ContentFile(pdf), save=False)
    document.save()
    engine.add_timeline_event(
        application,
        TimelineEvent.Kind.DOCUMENT,
        event_model=ApplicationEvent,
        actor=actor,
        actor_role="staff",
        is_public=True,
        data={"event": "output_issued", "document_id": document_id, "title": document.title},
        at=issued_at,
    )
    record_event(
        "applications.output_document_issued",
        actor=actor,
        target=application,
        summary={
            "reference": application.reference,
            "document_id": document_id,
            "pdf_sha256": pdf_sha256,
            "key_id": stamp.key_id,
        },
    )
    return document


# Revoking ----------------------------------------------------------------------------------------


@transaction.atomic
def revoke_output(document: IssuedDocument, *, actor: Any, reason: str) -> IssuedDocument:
    """Revoke an issued document (unit heads of its unit); the verification page then says
    REVOKED with the date and the reason, whatever the signature says."""
    locked = (
        IssuedDocument.objects.select_for_update().select_related("application__unit").get(pk=document.pk)
    )
    application = locked.application
    if not can_revoke_output(actor, application):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write why the document is revoked."), code="reason_required")
    if len(reason) > REVOCATION_REASON_MAX:
        raise ValidationError(
            _("Keep the reason under %(limit)d characters."),
            code="reason_too_long",
            params={"limit": REVOCATION_REASON_MAX},
        )
    if locked.is_revoked:
        raise ValidationError(_("This document was already revoked."), code="already_revoked")
    at = timezone.now()
    locked.revoked_at = at
    locked.revoked_by = actor
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    engine.add_timeline_event(
        application,
        TimelineEvent.Kind.DOCUMENT,
        event_model=ApplicationEvent,
        actor=actor,
        actor_role="staff",
        is_public=True,
        note=reason,
        data={"event": "output_revoked", "document_id": locked.public_id},
        at=at,
    )
    record_event(
        "applications.output_revoked",
        actor=actor,
        target=application,
        summary={"reference": application.reference, "document_id": locked.public_id, "with_reason": True},
    )
    return locked


# Verifying ---------------------------------------------------------------------------------------


class Status(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    INVALID = "invalid"
    UNKNOWN = "unknown"


@dataclasses.dataclass(frozen=True)
class Verification:
    status: Status
    document: IssuedDocument | None = None
    # Why INVALID: "signature", "pdf", "record", "key".
    problem: str = ""

    @property
    def facts(self) -> dict[str, Any]:
        return dict(self.document.facts) if self.document is not None else {}


def stored_stamp(
    document: IssuedDocument, *, key_id: str | None = None, signature: str | None = None
) -> SignedStamp:
    """The stamp of a stored document (payload rebuilt from its facts and hash); ``key_id`` and
    ``signature`` replace the stored ones to check a stamp that came with a URL."""
    kid = key_id or document.key_id
    return SignedStamp(
        key_id=kid,
        signature=document.signature if signature is None else signature,
        payload=build_payload(document.facts, document.pdf_sha256, key_id=kid).decode("utf-8"),
    )


def _check(
    stamp: SignedStamp, document: IssuedDocument, public_keys: Mapping[str, bytes], **kw: Any
) -> Verdict:
    try:
        return verify_stamp(stamp, public_keys=public_keys, facts=document.facts, **kw)
    except (TypeError, ValueError):
        return Verdict.INVALID


def verify_document(
    public_id: str | None,
    signature: str | None = None,
    pdf_bytes: bytes | None = None,
    *,
    key_id: str | None = None,
) -> Verification:
    """Check an issued document by its public id (and the stamp of a URL, and an uploaded copy).

    * UNKNOWN: no document with this id (or, without an id, none with the uploaded PDF's hash);
    * REVOKED: revoked by the unit, checked before and whatever the signature;
    * INVALID: the stored record, the given signature or the uploaded PDF does not check out;
    * VALID otherwise.
    """
    document: IssuedDocument | None = None
    queryset = IssuedDocument.objects.select_related("application")
    if public_id:
        if DOCUMENT_ID_RE.match(public_id):
            document = queryset.filter(public_id=public_id).first()
    elif pdf_bytes is not None:
        document = queryset.filter(pdf_sha256=sha256_hex(pdf_bytes)).first()
        if document is None:
            return Verification(Status.INVALID, problem="pdf")
    if document is None:
        return Verification(Status.UNKNOWN)
    if document.is_revoked:
        return Verification(Status.REVOKED, document)
    public_keys = document_signer().public_keys()
    stamp = stored_stamp(document)
    verdict = _check(stamp, document, public_keys, pdf_sha256=document.pdf_sha256)
    if verdict is not Verdict.VALID:
        return Verification(
            Status.INVALID, document, problem="key" if verdict is Verdict.UNKNOWN_KEY else "record"
        )
    if signature is not None or key_id is not None:
        given = stored_stamp(document, key_id=key_id or None, signature=signature or "")
        verdict = _check(given, document, public_keys, pdf_sha256=document.pdf_sha256)
        if verdict is not Verdict.VALID:
            return Verification(Status.INVALID, document, problem="signature")
    if pdf_bytes is not None:
        verdict = _check(stamp, document, public_keys, pdf_sha256=sha256_hex(pdf_bytes))
        if verdict is not Verdict.VALID:
            return Verification(Status.INVALID, document, problem="pdf")
    return Verification(Status.VALID, document)


def document_for_application(application: Application, public_id: str) -> IssuedDocument | None:
    if not DOCUMENT_ID_RE.match(public_id):
        return None
    return IssuedDocument.objects.filter(application=application, public_id=public_id).first()
