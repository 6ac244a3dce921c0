"""The catalog's models and the database constraints behind the status machine."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from layanan.catalog.models import Service, ServiceStandard
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    CompleteDraftStandardFactory,
    ServiceFactory,
    ServiceStandardFactory,
    complete_published,
)

pytestmark = pytest.mark.django_db

Status = ServiceStandard.Status


def test_channel_predicates() -> None:
    assert Service(channel=Service.Channel.BOTH).is_online
    assert Service(channel=Service.Channel.BOTH).is_at_counter
    assert not Service(channel=Service.Channel.COUNTER).is_online
    assert not Service(channel=Service.Channel.ONLINE).is_at_counter


def test_database_refuses_an_unknown_channel() -> None:
    with pytest.raises(IntegrityError):
        ServiceFactory(channel="fax")


def test_components_are_validated_or_none() -> None:
    complete = CompleteDraftStandardFactory.build(published=complete_published())
    partial = ServiceStandardFactory.build(published={"requirements": []})

    components = complete.components()
    assert components is not None
    assert components.fee.is_free
    assert partial.components() is None


def test_one_adopted_version_per_service() -> None:
    adopted = AdoptedStandardFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptedStandardFactory(service=adopted.service)


def test_one_open_version_per_service() -> None:
    draft = ServiceStandardFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStandardFactory(service=draft.service, status=Status.CONSULTATION)


def test_version_numbers_are_unique_per_service() -> None:
    adopted = AdoptedStandardFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStandardFactory(service=adopted.service, version=adopted.version)


@pytest.mark.parametrize("status", [Status.ADOPTED, Status.SUPERSEDED])
def test_adopted_and_superseded_versions_carry_a_decree(status: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CompleteDraftStandardFactory(status=status, decree_number="", decree_date=None)


def test_str() -> None:
    standard = AdoptedStandardFactory.build(service=ServiceFactory.build(name="KTP-el"), version=3)

    with translation.override("en"):
        assert str(standard) == "KTP-el v3 (Adopted)"
