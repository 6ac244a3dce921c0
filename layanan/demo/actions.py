"""Loading the demo: idempotent, keyed by slugs and usernames, in one transaction.

A run that finds everything as it should be writes nothing and records no audit event; a run
that creates or repairs anything records one ``demo.loaded`` event with the counts.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from layanan.accounts.contact import Contact
from layanan.accounts.models import Agency, CitizenProfile, ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.applications.actions import (
    ensure_service_config,
    form_of,
    submit_application,
    transition_application,
)
from layanan.applications.formspec import FieldKind
from layanan.applications.models import Application
from layanan.audit.actions import record_event
from layanan.catalog.actions import (
    OPEN_STATUSES,
    ServiceChanges,
    adopt_standard,
    clean_published_components,
    create_service,
    return_standard_to_draft,
    set_service_promise,
    start_standard_draft,
    update_service,
    update_standard_draft,
)
from layanan.catalog.models import Service, ServiceStandard
from layanan.catalog.queries_staff import current_promises
from layanan.catalog.standard import INTERNAL_COMPONENTS
from layanan.core.crypto import blind_index
from layanan.demo.complaints import load_demo_complaints
from layanan.demo.data import organisations, people
from layanan.demo.data.services import SERVICES, DemoService
from layanan.demo.data.standards import AGENCY_STANDARDS, MAKLUMAT
from layanan.demo.exceptions import DemoNotAllowedError
from layanan.demo.queue import load_demo_queue
from layanan.demo.survey import load_demo_survey
from layanan.demo.totp import DEVICE_NAME, base32_secret, demo_totp_key
from layanan.documents.pdf import pdf_available
from layanan.regions.models import Region
from layanan.vault.actions import add_vault_document
from layanan.vault.models import VaultDocument

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoAccount:
    """One demo account as the command prints it."""

    username: str
    sign_in: str
    role: str
    agency: str
    totp_secret: str = ""


@dataclass
class DemoLoad:
    """What one run of the loader did."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    accounts: list[DemoAccount] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def sync(self, kind: str, instance: M | None, model: type[M], values: dict[str, Any]) -> M:
        """Create ``model(**values)``, or bring ``instance`` to ``values`` writing only what differs."""
        if instance is None:
            instance = model(**values)
            instance.save()
            self.created[kind] += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                changed.append("updated_at")
            instance.save(update_fields=changed)
            self.updated[kind] += 1
        return instance


@transaction.atomic
def load_demo_data() -> DemoLoad:
    """Create or repair the demo MPP of Kabupaten Banyumas (development mode only)."""
    if settings.IS_PRODUCTION:
        raise DemoNotAllowedError(
            "The demo has published passwords and TOTP keys: it is never loaded when "
            "LAYANAN_ENV=production. Use LAYANAN_ENV=development on a machine of your own."
        )
    load = DemoLoad()
    regency = _load_regions(load)
    units = _load_organisations(load, regency)
    services = _load_services(load, units)
    _load_standards(load, services)
    _load_promises(load, units)
    _load_staff(load, units)
    _load_citizens(load, regency)
    _load_applications(load, services)
    load.created.update({f"complaint ({kind})": n for kind, n in load_demo_complaints().items()})
    load.created.update(load_demo_survey())
    load.created.update(load_demo_queue())
    if load.changed:
        record_event(
            "demo.loaded",
            actor=None,
            object_type="demo",
            object_id="mpp-banyumas",
            summary={
                "created": dict(sorted(load.created.items())),
                "updated": dict(sorted(load.updated.items())),
            },
        )
    return load


def _load_regions(load: DemoLoad) -> Region:
    """The province and the regency, created if the full region table has not been loaded."""
    province = Region.objects.filter(code=organisations.PROVINCE_CODE).first()
    if province is None:
        province = Region.objects.create(
            code=organisations.PROVINCE_CODE, name=organisations.PROVINCE_NAME, level=Region.Level.PROVINCE
        )
        load.created["region"] += 1
    regency = Region.objects.filter(code=organisations.REGENCY_CODE).first()
    if regency is None:
        regency = Region.objects.create(
            code=organisations.REGENCY_CODE,
            name=organisations.REGENCY_NAME,
            level=Region.Level.REGENCY,
            parent=province,
        )
        load.created["region"] += 1
    return regency


def _load_organisations(load: DemoLoad, regency: Region) -> dict[tuple[str, str], ServiceUnit]:
    every_agency = (*organisations.AGENCIES, *organisations.COMPLAINT_AGENCIES)
    agencies = Agency.objects.in_bulk([a.slug for a in every_agency], field_name="slug")
    existing_units = {
        (unit.agency.slug, unit.slug): unit
        for unit in ServiceUnit.objects.filter(agency__slug__in=agencies).select_related("agency")
    }
    units: dict[tuple[str, str], ServiceUnit] = {}
    for spec in every_agency:
        agency = load.sync(
            "agency",
            agencies.get(spec.slug),
            Agency,
            {
                "slug": spec.slug,
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "region_id": regency.code,
                "duties": spec.duties,
                "is_active": True,
            },
        )
        for unit_spec in spec.units:
            key = (spec.slug, unit_spec.slug)
            units[key] = load.sync(
                "unit",
                existing_units.get(key),
                ServiceUnit,
                {
                    "agency_id": agency.pk,
                    "slug": unit_spec.slug,
                    "name": unit_spec.name,
                    "region_id": regency.code,
                    "address": unit_spec.address,
                    "opens_at": unit_spec.opens_at,
                    "closes_at": unit_spec.closes_at,
                    "cutoff_at": unit_spec.cutoff_at,
                    "works_saturday": unit_spec.works_saturday,
                    "is_active": True,
                },
            )
    return units


def _service_values(spec: DemoService, unit: ServiceUnit) -> ServiceChanges:
    return {
        "unit": unit,
        "name": spec.name,
        "summary": spec.summary,
        "keywords": spec.keywords,
        "channel": spec.channel,
        "counter_location": spec.counter_location,
        "is_active": True,
    }


def _load_services(load: DemoLoad, units: dict[tuple[str, str], ServiceUnit]) -> dict[str, Service]:
    """Through the catalog's own actions, so each change is audited like a staff edit."""
    existing = {
        service.slug: service
        for service in Service.objects.filter(slug__in=[s.slug for s in SERVICES])
        .select_related("unit", "adopted_standard")
        .prefetch_related("life_events")
    }
    services: dict[str, Service] = {}
    for spec in SERVICES:
        unit = units[(spec.agency, spec.unit)]
        service = existing.get(spec.slug)
        values = _service_values(spec, unit)
        if service is None:
            services[spec.slug] = create_service(
                unit,
                actor=None,
                slug=spec.slug,
                name=spec.name,
                summary=spec.summary,
                channel=spec.channel,
                keywords=spec.keywords,
                counter_location=spec.counter_location,
                life_events=spec.life_events,
            )
            load.created["service"] += 1
            continue
        events_now = {tag.event for tag in service.life_events.all()}
        differs = any(getattr(service, name) != value for name, value in values.items())
        if differs or events_now != set(spec.life_events):
            service = update_service(service, actor=None, life_events=spec.life_events, **values)
            load.updated["service"] += 1
        services[spec.slug] = service
    return services


def _wanted_standard(spec: DemoService) -> tuple[dict[str, Any], dict[str, str]]:
    """The published components (as stored) and the internal ones of a demo service's standard."""
    agency = AGENCY_STANDARDS[spec.agency]
    published = clean_published_components(
        {
            "requirements": list(spec.requirements),
            "procedure": list(spec.procedure or agency.procedure),
            "completion_time": spec.time,
            "fee": spec.fee,
            "products": list(spec.products),
            "complaint_channels": list(agency.channels),
        }
    )
    internal = {key: getattr(agency, key) for key in INTERNAL_COMPONENTS}
    if spec.legal_basis:
        internal["legal_basis"] = f"{agency.legal_basis} {spec.legal_basis}"
    return published, internal


def _load_standards(load: DemoLoad, services: dict[str, Service]) -> None:
    """Every demo service has an adopted standard with all 14 components, adopted by the system.

    A standard that differs from the demo's is replaced by a new adopted version (the old one is
    superseded), the way an agency revises its standard.
    """
    for spec in SERVICES:
        service = services[spec.slug]
        agency = AGENCY_STANDARDS[spec.agency]
        published, internal = _wanted_standard(spec)
        current = service.adopted_standard
        if (
            current is not None
            and current.published == published
            and all(getattr(current, key) == value for key, value in internal.items())
            and (current.decree_number, current.decree_date) == (agency.decree_number, agency.decree_date)
        ):
            continue
        draft = service.standards.filter(status__in=OPEN_STATUSES).first()
        if draft is None:
            draft = start_standard_draft(service, actor=None)
        elif draft.status == ServiceStandard.Status.CONSULTATION:
            draft = return_standard_to_draft(draft, actor=None)
        draft = update_standard_draft(
            draft,
            actor=None,
            published=published,
            internal=internal,
            change_note="Standar pelayanan data demo MPP Kabupaten Banyumas.",
        )
        adopt_standard(draft, actor=None, decree_number=agency.decree_number, decree_date=agency.decree_date)
        load.created["standard"] += 1


def _load_promises(load: DemoLoad, units: dict[tuple[str, str], ServiceUnit]) -> None:
    """Each unit's service promise (maklumat), signed by the head of its agency."""
    current = current_promises(units.values())
    for (agency_slug, _unit_slug), unit in units.items():
        agency = AGENCY_STANDARDS.get(agency_slug)
        if agency is None:  # agencies that only answer complaints have no service promise here
            continue
        wanted = (MAKLUMAT, agency.signatory_name, agency.signatory_title, agency.signed_on)
        promise = current.get(unit.pk)
        if (
            promise is not None
            and (
                promise.text,
                promise.signatory_name,
                promise.signatory_title,
                promise.signed_on,
            )
            == wanted
        ):
            continue
        set_service_promise(
            unit,
            actor=None,
            text=MAKLUMAT,
            signatory_name=agency.signatory_name,
            signatory_title=agency.signatory_title,
            signed_on=agency.signed_on,
        )
        load.created["service promise"] += 1


def _load_staff(load: DemoLoad, units: dict[tuple[str, str], ServiceUnit]) -> None:
    users = User.objects.in_bulk([s.username for s in people.STAFF], field_name="username")
    devices = {
        device.user_id: device
        for device in TOTPDevice.objects.filter(user__in=users.values(), name=DEVICE_NAME)
    }
    for spec in people.STAFF:
        user = load.sync(
            "staff",
            users.get(spec.username),
            User,
            {
                "username": spec.username,
                "kind": User.Kind.STAFF,
                "full_name": spec.full_name,
                "email": f"{spec.username}@example.com",
                "is_active": True,
            },
        )
        _ensure_password(load, user, is_new=spec.username not in users)
        unit = units[(spec.agency, spec.unit)] if spec.unit else None
        agency = Agency.objects.get(slug=spec.agency) if spec.agency else None
        _ensure_membership(load, user, spec.role, agency, unit)
        key = demo_totp_key(spec.username)
        load.sync(
            "totp device",
            devices.get(user.pk),
            TOTPDevice,
            {"user_id": user.pk, "name": DEVICE_NAME, "key": key, "confirmed": True},
        )
        place = " / ".join(name for name in (agency and agency.short_name, unit and unit.name) if name)
        load.accounts.append(
            DemoAccount(
                username=spec.username,
                sign_in="password + TOTP",
                role=str(Role(spec.role).label),
                agency=place or "—",
                totp_secret=base32_secret(key),
            )
        )


def _ensure_password(load: DemoLoad, user: User, *, is_new: bool) -> None:
    """Every demo staff account has the published demo password (checked, not rewritten)."""
    if is_new or not user.check_password(people.DEMO_PASSWORD):
        user.set_password(people.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if not is_new:
            load.updated["staff password"] += 1


def _ensure_membership(
    load: DemoLoad, user: User, role: str, agency: Agency | None, unit: ServiceUnit | None
) -> None:
    membership = StaffMembership.objects.filter(user=user, role=role, agency=agency, unit=unit).first()
    load.sync(
        "membership",
        membership,
        StaffMembership,
        {"user_id": user.pk, "role": role, "agency": agency, "unit": unit, "is_active": True},
    )


def _load_citizens(load: DemoLoad, regency: Region) -> None:
    users = User.objects.in_bulk([c.username for c in people.CITIZENS], field_name="username")
    profiles = {p.user_id: p for p in CitizenProfile.objects.filter(user__in=users.values())}
    for spec in people.CITIZENS:
        user = load.sync(
            "citizen",
            users.get(spec.username),
            User,
            {
                "username": spec.username,
                "kind": User.Kind.CITIZEN,
                "full_name": spec.full_name,
                "email": spec.email,
                "phone": spec.phone,
                "phone_index": Contact(channel="sms", address=spec.phone).index if spec.phone else None,
                "is_active": True,
            },
        )
        if user.has_usable_password():
            # Citizens sign in with a one-time code sent to their e-mail address or phone.
            user.set_unusable_password()
            user.save(update_fields=["password"])
            if spec.username in users:
                load.updated["citizen password"] += 1
        if spec.nik:
            profile = profiles.get(user.pk)
            load.sync(
                "citizen profile",
                profile,
                CitizenProfile,
                {
                    "user_id": user.pk,
                    "nik": spec.nik,
                    "nik_index": blind_index(spec.nik, purpose="nik"),
                    "address": spec.address,
                    "region_id": regency.code,
                    "privacy_notice_accepted_at": (profile.privacy_notice_accepted_at if profile else None)
                    or timezone.now(),
                },
            )
        load.accounts.append(
            DemoAccount(
                username=spec.username,
                sign_in=f"e-mail code to {spec.email}" if spec.email else f"SMS code to {spec.phone}",
                role="Citizen",
                agency="—",
            )
        )


# Applications: a few cases in different states, so the back office has a queue to work on.
# (username of the applicant, service slug, the steps taken after submission: (transition, staff))
_DEMO_APPLICATIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("siti.aminah", "kartu-keluarga", ()),
    ("siti.aminah", "surat-pindah", (("start_check", "verifikator"),)),
    (
        "siti.aminah",
        "surat-pindah",
        (("start_check", "verifikator"), ("return_for_correction", "verifikator")),
    ),
    (
        "siti.aminah",
        "kartu-keluarga",
        (("start_check", "verifikator"), ("accept_complete", "verifikator")),
    ),
    # Finished applications, so the satisfaction survey can be tried: one rejected, one completed
    # (its output is a signed PDF: skipped on a machine without WeasyPrint's system libraries).
    (
        "siti.aminah",
        "surat-pindah",
        (("start_check", "verifikator"), ("accept_complete", "verifikator"), ("reject", "kepala.unit")),
    ),
    (
        "siti.aminah",
        "kartu-keluarga",
        (
            ("start_check", "verifikator"),
            ("accept_complete", "verifikator"),
            ("approve", "kepala.unit"),
            ("issue_output", "verifikator"),
            ("complete", "petugas.loket"),
        ),
    ),
    # A paid service, approved: verifikator.pbg asks for the fee, siti.aminah pays on the simulator.
    (
        "siti.aminah",
        "persetujuan-bangunan-gedung",
        (
            ("start_check", "verifikator.pbg"),
            ("accept_complete", "verifikator.pbg"),
            ("approve", "kepala.pbg"),
        ),
    ),
)


def _demo_png(label: str) -> SimpleUploadedFile:
    """A small scan-like image for the demo vault (made here: no files are downloaded)."""
    image = Image.new("RGB", (320, 200), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 311, 191), outline=(40, 60, 90), width=3)
    draw.text((24, 90), f"CONTOH / DEMO: {label}", fill=(40, 60, 90))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(f"{label}.png", out.getvalue(), content_type="image/png")


def _load_applications(load: DemoLoad, services: dict[str, Service]) -> None:
    """Demo applications for the demo citizens, made through the real actions (once: skipped
    when the citizen already has applications)."""
    users = User.objects.in_bulk(
        {name for name, _slug, _steps in _DEMO_APPLICATIONS}
        | {staff for _name, _slug, steps in _DEMO_APPLICATIONS for _key, staff in steps},
        field_name="username",
    )
    done = set(
        Application.objects.filter(applicant__in=users.values()).values_list("applicant__username", flat=True)
    )
    notes = {
        "return_for_correction": "Foto KTP kurang jelas, mohon unggah ulang.",
        "reject": "Alamat tujuan pindah berada di luar wilayah yang dilayani unit ini.",
    }
    # Fresh rows: the standards were adopted after ``services`` was read.
    fresh = Service.objects.select_related("adopted_standard", "unit").in_bulk(
        [service.pk for service in services.values()]
    )
    by_slug = {service.slug: service for service in fresh.values()}
    for username, slug, steps in _DEMO_APPLICATIONS:
        citizen, service = users.get(username), by_slug.get(slug)
        if citizen is None or service is None or username in done or not service.is_online:
            continue
        if any(key == "issue_output" for key, _staff in steps) and not pdf_available():
            continue
        answers = _demo_answers(citizen, service)
        application = submit_application(
            service=service, applicant=citizen, answers=answers, actor=citizen
        ).application
        for key, staff in steps:
            application = transition_application(
                application, key, actor=users[staff], note=notes.get(key, "")
            )
        load.created["application"] += 1


def _demo_answers(citizen: User, service: Service) -> dict[str, Any]:
    spec = form_of(ensure_service_config(service))
    profile = getattr(citizen, "citizen_profile", None)
    vault = {doc.document_type: doc for doc in VaultDocument.objects.current().filter(owner=citizen)}
    answers: dict[str, Any] = {}
    for item in spec.fields():
        if item.kind == FieldKind.DOCUMENT and item.show_if is None:
            document = vault.get(item.document_type)
            if document is None:
                document = add_vault_document(
                    owner=citizen,
                    upload=_demo_png(item.document_type),
                    document_type=item.document_type,
                    actor=citizen,
                )
                vault[item.document_type] = document
            answers[item.key] = str(document.public_id)
        elif item.kind == FieldKind.YES_NO:
            answers[item.key] = "tidak"
        elif item.kind == FieldKind.DECLARATION:
            answers[item.key] = "ya"
        elif item.profile == "full_name":
            answers[item.key] = citizen.full_name
        elif item.profile == "nik" and profile is not None:
            answers[item.key] = profile.nik
        elif item.profile == "phone":
            answers[item.key] = citizen.phone
        elif item.profile == "address" and profile is not None:
            answers[item.key] = {"street": profile.address, "region": organisations.REGENCY_CODE}
    return answers
