"""Every write to the service catalog. ``actor=None`` means the system (a management command)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layanan.accounts.models import ServiceUnit
from layanan.audit.actions import record_event
from layanan.catalog.exceptions import ServicePermissionDenied
from layanan.catalog.models import Service, ServiceLifeEvent
from layanan.catalog.permissions import can_manage_service


class ServiceChanges(TypedDict, total=False):
    """The fields ``update_service`` may change (the slug never changes: it is in public URLs)."""

    unit: ServiceUnit
    name: str
    summary: str
    channel: str
    fee_is_free: bool
    fee_note: str
    fee_legal_basis: str
    completion_time_value: int
    completion_time_unit: str
    is_active: bool


def _check_may_manage(actor: Any | None, unit: ServiceUnit) -> None:
    if actor is not None and not can_manage_service(actor, unit):
        raise ServicePermissionDenied(_("You may not manage the services of this unit."))


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
    completion_time_value: int,
    completion_time_unit: str,
    fee_is_free: bool,
    fee_note: str = "",
    fee_legal_basis: str = "",
    life_events: Iterable[str] = (),
    is_active: bool = True,
) -> Service:
    """Add a service to the catalog of ``unit``."""
    _check_may_manage(actor, unit)
    events = _clean_life_events(life_events)
    service = Service(
        unit=unit,
        slug=slug,
        name=name,
        summary=summary,
        channel=channel,
        completion_time_value=completion_time_value,
        completion_time_unit=completion_time_unit,
        fee_is_free=fee_is_free,
        fee_note=fee_note,
        fee_legal_basis=fee_legal_basis,
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
    return locked
