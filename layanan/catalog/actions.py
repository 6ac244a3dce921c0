"""Every write to the service catalog. ``actor=None`` means the system (a management command).

Services, the versions of their standards (draft -> consultation -> adopted -> superseded) and the
units' service promises. Each action checks the actor's right, validates, writes and records one
audit event in the same transaction; a call that changes nothing writes nothing. Actions that
change what the public sees refresh the search index after the commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails

from layanan.accounts.models import ServiceUnit
from layanan.audit.actions import record_event
from layanan.catalog import search
from layanan.catalog.diff import PUBLISHED_COMPONENTS, component_label
from layanan.catalog.exceptions import (
    PromisePermissionDenied,
    ServicePermissionDenied,
    StandardPermissionDenied,
)
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise, ServiceStandard
from layanan.catalog.permissions import (
    can_adopt_standard,
    can_edit_standard,
    can_manage_promise,
    can_manage_service,
)
from layanan.catalog.standard import (
    INTERNAL_COMPONENTS,
    ComplaintChannel,
    CompletionTime,
    Fee,
    ProcedureStep,
    Product,
    PublishedComponents,
    Requirement,
)

OPEN_STATUSES = (ServiceStandard.Status.DRAFT, ServiceStandard.Status.CONSULTATION)


class ServiceChanges(TypedDict, total=False):
    """The fields ``update_service`` may change (the slug never changes: it is in public URLs)."""

    unit: ServiceUnit
    name: str
    summary: str
    keywords: str
    channel: str
    counter_location: str
    is_active: bool


# --- Shared helpers -------------------------------------------------------------------------------


def refresh_search_after_commit() -> None:
    """Refresh the search index once the change is committed, once per transaction.

    An import of thousands of services calls this for every change; one refresh is enough.
    """
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is search.invalidate_search_index for entry in pending):
        transaction.on_commit(search.invalidate_search_index)


def _check_may_manage(actor: Any | None, unit: ServiceUnit) -> None:
    if actor is not None and not can_manage_service(actor, unit):
        raise ServicePermissionDenied(_("You may not manage the services of this unit."))


def _check_may_edit(actor: Any | None, service: Service) -> None:
    if actor is not None and not can_edit_standard(actor, service):
        raise StandardPermissionDenied(_("You may not work on the standards of this service."))


def _lock_standard(standard: ServiceStandard) -> ServiceStandard:
    return (
        ServiceStandard.objects.select_for_update(of=("self",))
        .select_related("service__unit")
        .get(pk=standard.pk)
    )


def _require_status(standard: ServiceStandard, *allowed: str) -> None:
    if standard.status not in allowed:
        raise ValidationError(
            _("This is not possible while version %(version)d is %(status)s.")
            % {"version": standard.version, "status": standard.get_status_display().lower()},
            code="invalid_transition",
        )


# --- Services -------------------------------------------------------------------------------------


def _clean_life_events(life_events: Iterable[str]) -> set[str]:
    chosen = set(life_events)
    unknown = chosen - set(Service.LifeEvent.values)
    if unknown:
        raise ValidationError(
            {"life_events": ValidationError(_("Unknown life event."), code="invalid_life_event")}
        )
    return chosen


def _set_life_events(service: Service, wanted: set[str]) -> bool:
    """Make the service's tags exactly ``wanted``; says whether anything changed."""
    current = set(service.life_events.values_list("event", flat=True))
    if current == wanted:
        return False
    service.life_events.filter(event__in=current - wanted).delete()
    ServiceLifeEvent.objects.bulk_create(
        [ServiceLifeEvent(service=service, event=event) for event in sorted(wanted - current)]
    )
    return True


@transaction.atomic
def create_service(
    unit: ServiceUnit,
    *,
    actor: Any | None,
    slug: str,
    name: str,
    summary: str,
    channel: str,
    keywords: str = "",
    counter_location: str = "",
    life_events: Iterable[str] = (),
    is_active: bool = True,
) -> Service:
    """Add a service to the catalog of ``unit`` (its standard is drafted and adopted separately)."""
    _check_may_manage(actor, unit)
    events = _clean_life_events(life_events)
    service = Service(
        unit=unit,
        slug=slug,
        name=name,
        summary=summary,
        keywords=keywords,
        channel=channel,
        counter_location=counter_location,
        is_active=is_active,
    )
    service.full_clean()
    service.save()
    _set_life_events(service, events)
    record_event(
        "catalog.service_created",
        actor=actor,
        target=service,
        summary={"slug": slug, "unit": unit.pk, "life_events": sorted(events), "is_active": is_active},
    )
    refresh_search_after_commit()
    return service


@transaction.atomic
def update_service(
    service: Service,
    *,
    actor: Any | None,
    life_events: Iterable[str] | None = None,
    **changes: Unpack[ServiceChanges],
) -> Service:
    """Change a service; a call that changes nothing writes nothing and records no event."""
    locked = Service.objects.select_for_update().get(pk=service.pk)
    _check_may_manage(actor, locked.unit)
    new_unit = changes.get("unit")
    if new_unit is not None and new_unit.pk != locked.unit_id:
        _check_may_manage(actor, new_unit)
    events = None if life_events is None else _clean_life_events(life_events)

    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, changes[field])  # type: ignore[literal-required]
    if changed:
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
    if events is not None and _set_life_events(locked, events):
        changed.append("life_events")
    if changed:
        record_event(
            "catalog.service_updated", actor=actor, target=locked, summary={"fields": sorted(changed)}
        )
        refresh_search_after_commit()
    return locked


# --- Validation of standard components -------------------------------------------------------------


class _DraftComponents(BaseModel):
    """The published components of a draft: each one optional, each one given fully valid."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    requirements: tuple[Requirement, ...] | None = None
    procedure: tuple[ProcedureStep, ...] | None = None
    completion_time: CompletionTime | None = None
    fee: Fee | None = None
    products: tuple[Product, ...] | None = None
    complaint_channels: tuple[ComplaintChannel, ...] | None = None

    @field_validator("procedure")
    @classmethod
    def procedure_has_distinct_steps(
        cls, steps: tuple[ProcedureStep, ...] | None
    ) -> tuple[ProcedureStep, ...] | None:
        return None if steps is None else PublishedComponents.procedure_has_distinct_steps(steps)


# Messages for pydantic's error types, in the user's language.
_PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("This field is required."),
    "string_too_short": gettext_lazy("This field is required."),
    "string_too_long": gettext_lazy("Use at most %(max_length)s characters."),
    "enum": gettext_lazy("Choose one of the options."),
    "literal_error": gettext_lazy("Choose one of the options."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "greater_than": gettext_lazy("Enter a number greater than %(gt)s."),
    "less_than_equal": gettext_lazy("Enter a number no greater than %(le)s."),
    "bool_parsing": gettext_lazy("Answer yes or no."),
    "bool_type": gettext_lazy("Answer yes or no."),
    "extra_forbidden": gettext_lazy("This field is not part of the standard."),
    "too_short": gettext_lazy("Add at least %(min_length)s item."),
}

# The messages of our own validators (layanan.catalog.standard), by a fragment of their text.
_VALIDATOR_MESSAGES: tuple[tuple[str, Any], ...] = (
    (
        "free service has no fee amounts",
        gettext_lazy("A free service has no fee amounts: remove the amounts or choose “paid”."),
    ),
    (
        "paid service lists at least one amount",
        gettext_lazy("A paid service lists at least one amount with its legal basis."),
    ),
    ("same description", gettext_lazy("Two procedure steps have the same description.")),
)


def _pydantic_message(error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        for fragment, message in _VALIDATOR_MESSAGES:
            if fragment in error["msg"]:
                return str(message)
    template = _PYDANTIC_MESSAGES.get(error["type"])
    if template is None:
        return _("This value is not valid.")
    context = error.get("ctx") or {}
    return str(template) % context if "%(" in str(template) else str(template)


def validation_error_from_pydantic(error: PydanticValidationError, *, prefix: str = "") -> ValidationError:
    """A Django ``ValidationError`` keyed by field path (``requirements.0.name``, ``fee``), each
    message in the active language and coded with pydantic's error type."""
    by_path: dict[str, list[ValidationError]] = {}
    for detail in error.errors():
        path = ".".join(str(part) for part in (prefix, *detail["loc"]) if part != "")
        by_path.setdefault(path or "published", []).append(
            ValidationError(_pydantic_message(detail), code=detail["type"])
        )
    return ValidationError(by_path)


def clean_published_components(published: Mapping[str, Any]) -> dict[str, Any]:
    """Validate (some of) the 6 published components and return them as stored JSON.

    A component given as ``None`` or empty is dropped (a partial draft); every other one must be
    valid on its own. Raises ``ValidationError`` keyed by field path.
    """
    unknown = sorted(set(published) - set(PUBLISHED_COMPONENTS))
    if unknown:
        raise ValidationError(
            {key: ValidationError(_("Unknown component."), code="unknown_component") for key in unknown}
        )
    given = {key: value for key, value in published.items() if value not in (None, [], (), {})}
    try:
        draft = _DraftComponents.model_validate(given)
    except PydanticValidationError as error:
        raise validation_error_from_pydantic(error) from error
    dumped = draft.model_dump(mode="json", exclude_none=True)
    return {key: dumped[key] for key in PUBLISHED_COMPONENTS if key in dumped}


def missing_components(standard: ServiceStandard) -> list[str]:
    """Keys of the components that keep ``standard`` from being complete (in Pasal 21 order)."""
    missing: set[str] = set()
    try:
        PublishedComponents.model_validate(standard.published or {})
    except PydanticValidationError as error:
        missing.update(str(detail["loc"][0]) if detail["loc"] else "published" for detail in error.errors())
    missing.update(key for key in INTERNAL_COMPONENTS if not getattr(standard, key).strip())
    return [key for key in (*PUBLISHED_COMPONENTS, *INTERNAL_COMPONENTS) if key in missing]


def _require_complete(standard: ServiceStandard) -> None:
    missing = missing_components(standard)
    if missing:
        raise ValidationError(
            _("The standard is not complete. Fill in: %(components)s.")
            % {"components": ", ".join(component_label(key) for key in missing)},
            code="incomplete",
            params={"missing": missing},
        )


# --- Standards ------------------------------------------------------------------------------------


@transaction.atomic
def start_standard_draft(service: Service, *, actor: Any | None) -> ServiceStandard:
    """Open a new version of ``service``'s standard: a copy of the adopted one (or empty).

    Refused while another version is still open (a draft or in consultation).
    """
    locked = (
        Service.objects.select_for_update(of=("self",))
        .select_related("unit", "adopted_standard")
        .get(pk=service.pk)
    )
    _check_may_edit(actor, locked)
    open_version = locked.standards.filter(status__in=OPEN_STATUSES).first()
    if open_version is not None:
        raise ValidationError(
            _("Version %(version)d is still open: finish or adopt it before starting another.")
            % {"version": open_version.version},
            code="open_version_exists",
        )
    latest = locked.standards.aggregate(latest=Max("version"))["latest"] or 0
    source = locked.adopted_standard
    draft = ServiceStandard(
        service=locked,
        version=latest + 1,
        status=ServiceStandard.Status.DRAFT,
        based_on=source,
        published=dict(source.published) if source else {},
        created_by=actor,
    )
    if source is not None:
        for key in INTERNAL_COMPONENTS:
            setattr(draft, key, getattr(source, key))
    draft.save()
    record_event(
        "catalog.standard_draft_started",
        actor=actor,
        target=draft,
        summary={"service": locked.slug, "version": draft.version, "based_on": source and source.version},
    )
    return draft


@transaction.atomic
def update_standard_draft(
    standard: ServiceStandard,
    *,
    actor: Any | None,
    published: Mapping[str, Any] | None = None,
    internal: Mapping[str, str] | None = None,
    change_note: str | None = None,
) -> ServiceStandard:
    """Change components of a draft. Each published component given replaces the stored one
    (``None`` or empty removes it: drafts may be partial); components not given stay as they are.
    """
    locked = _lock_standard(standard)
    _check_may_edit(actor, locked.service)
    _require_status(locked, ServiceStandard.Status.DRAFT)
    changed: list[str] = []
    if published is not None:
        cleaned = clean_published_components(published)
        merged = {key: value for key, value in (locked.published or {}).items() if key not in published}
        merged.update(cleaned)
        merged = {key: merged[key] for key in PUBLISHED_COMPONENTS if key in merged}
        changed += [
            key for key in PUBLISHED_COMPONENTS if (locked.published or {}).get(key) != merged.get(key)
        ]
        locked.published = merged
    if internal is not None:
        unknown = sorted(set(internal) - set(INTERNAL_COMPONENTS))
        if unknown:
            raise ValidationError(
                {key: ValidationError(_("Unknown component."), code="unknown_component") for key in unknown}
            )
        for key, text in internal.items():
            value = (text or "").strip()
            if getattr(locked, key) != value:
                setattr(locked, key, value)
                changed.append(key)
    if change_note is not None and locked.change_note != change_note.strip():
        locked.change_note = change_note.strip()
        changed.append("change_note")
    if not changed:
        return locked
    locked.save()
    record_event(
        "catalog.standard_draft_updated",
        actor=actor,
        target=locked,
        summary={"service": locked.service.slug, "version": locked.version, "components": sorted(changed)},
    )
    return locked


@transaction.atomic
def send_standard_to_consultation(standard: ServiceStandard, *, actor: Any | None) -> ServiceStandard:
    """Put a complete draft to the public (UU 25/2009 Pasal 20: the public takes part).

    This is the seam of the public consultation (*forum konsultasi publik*): the consultation
    feature hooks here to open a consultation on this version.
    """
    locked = _lock_standard(standard)
    _check_may_edit(actor, locked.service)
    _require_status(locked, ServiceStandard.Status.DRAFT)
    _require_complete(locked)
    locked.status = ServiceStandard.Status.CONSULTATION
    locked.consultation_started_at = timezone.now()
    locked.save(update_fields=["status", "consultation_started_at", "updated_at"])
    record_event(
        "catalog.standard_sent_to_consultation",
        actor=actor,
        target=locked,
        summary={"service": locked.service.slug, "version": locked.version},
    )
    return locked


@transaction.atomic
def return_standard_to_draft(standard: ServiceStandard, *, actor: Any | None) -> ServiceStandard:
    """Take a version back from consultation to revise it with what the public said."""
    locked = _lock_standard(standard)
    _check_may_edit(actor, locked.service)
    _require_status(locked, ServiceStandard.Status.CONSULTATION)
    locked.status = ServiceStandard.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    record_event(
        "catalog.standard_returned_to_draft",
        actor=actor,
        target=locked,
        summary={"service": locked.service.slug, "version": locked.version},
    )
    return locked


@transaction.atomic
def adopt_standard(
    standard: ServiceStandard, *, actor: Any | None, decree_number: str, decree_date: datetime.date
) -> ServiceStandard:
    """Set (*menetapkan*) a complete version by decree: only the head of the service's unit (or the
    system, for imports). The version adopted before becomes superseded."""
    service = Service.objects.select_for_update().get(pk=standard.service_id)
    locked = _lock_standard(standard)
    if actor is not None and not can_adopt_standard(actor, locked.service):
        raise StandardPermissionDenied(_("Only the head of the unit adopts the standards of its services."))
    _require_status(locked, *OPEN_STATUSES)
    errors: dict[str, ValidationError] = {}
    number = (decree_number or "").strip()
    if not number:
        errors["decree_number"] = ValidationError(
            _("Enter the number of the decree."), code="decree_number_required"
        )
    elif len(number) > 120:
        errors["decree_number"] = ValidationError(
            _("Use at most %(max_length)s characters.") % {"max_length": 120}, code="decree_number_too_long"
        )
    if decree_date is None:
        errors["decree_date"] = ValidationError(
            _("Enter the date of the decree."), code="decree_date_required"
        )
    elif decree_date > timezone.localdate():
        errors["decree_date"] = ValidationError(
            _("The decree date cannot be in the future."), code="decree_date_in_future"
        )
    if errors:
        raise ValidationError(errors)
    _require_complete(locked)

    now = timezone.now()
    previous = service.standards.select_for_update().filter(status=ServiceStandard.Status.ADOPTED).first()
    if previous is not None:
        previous.status = ServiceStandard.Status.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
    locked.status = ServiceStandard.Status.ADOPTED
    locked.decree_number = number
    locked.decree_date = decree_date
    locked.adopted_at = now
    locked.adopted_by = actor
    locked.save(
        update_fields=["status", "decree_number", "decree_date", "adopted_at", "adopted_by", "updated_at"]
    )
    service.adopted_standard = locked
    service.save(update_fields=["adopted_standard", "updated_at"])
    locked.service = service
    record_event(
        "catalog.standard_adopted",
        actor=actor,
        target=locked,
        summary={
            "service": service.slug,
            "version": locked.version,
            "decree_number": number,
            "decree_date": decree_date.isoformat(),
            "superseded_version": previous.version if previous else None,
        },
    )
    refresh_search_after_commit()
    return locked


# --- Service promise (maklumat pelayanan) ----------------------------------------------------------


@transaction.atomic
def set_service_promise(
    unit: ServiceUnit,
    *,
    actor: Any | None,
    text: str,
    signatory_name: str,
    signatory_title: str,
    signed_on: datetime.date,
) -> ServicePromise:
    """Record the unit's newly signed promise; the one in force is the latest by signing date.

    Recording the very promise already in force changes nothing.
    """
    if actor is not None and not can_manage_promise(actor, unit):
        raise PromisePermissionDenied(_("Only the head of the unit records its service promise."))
    promise = ServicePromise(
        unit=unit,
        text=(text or "").strip(),
        signatory_name=(signatory_name or "").strip(),
        signatory_title=(signatory_title or "").strip(),
        signed_on=signed_on,
    )
    promise.full_clean()
    if signed_on > timezone.localdate():
        raise ValidationError(
            {
                "signed_on": ValidationError(
                    _("The signing date cannot be in the future."), code="signed_on_in_future"
                )
            }
        )
    current = ServicePromise.objects.filter(unit=unit).order_by("-signed_on", "-id").first()
    fields = ("text", "signatory_name", "signatory_title", "signed_on")
    if current is not None and all(getattr(current, name) == getattr(promise, name) for name in fields):
        return current
    promise.save()
    record_event(
        "catalog.service_promise_set",
        actor=actor,
        target=promise,
        # The signatory's name stays out of the log: the row itself holds it.
        summary={"unit": unit.pk, "signed_on": signed_on.isoformat(), "replaces": current and current.pk},
    )
    refresh_search_after_commit()
    return promise
