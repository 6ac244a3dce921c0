"""Changes to an agency or unit reach the search index once committed."""

from __future__ import annotations

from typing import Any

import pytest

from layanan.catalog import search
from layanan.catalog.interchange import update_agency, update_service_unit
from layanan.catalog.tests.factories import service_with_adopted_standard

pytestmark = pytest.mark.django_db


def test_renamed_agency_is_found_by_its_new_name(django_capture_on_commit_callbacks: Any) -> None:
    service = service_with_adopted_standard(name="Legalisasi dokumen")
    search.invalidate_search_index()
    assert service.pk not in search.search_services("samsat keliling")

    with django_capture_on_commit_callbacks(execute=True):
        update_agency(service.unit.agency, actor=None, name="Samsat Keliling Banyumas")

    assert service.pk in search.search_services("samsat keliling")


def test_deactivated_unit_hides_its_services_from_search(django_capture_on_commit_callbacks: Any) -> None:
    service = service_with_adopted_standard(name="Legalisasi dokumen")
    search.invalidate_search_index()
    assert service.pk in search.search_services("legalisasi dokumen")

    with django_capture_on_commit_callbacks(execute=True):
        update_service_unit(service.unit, actor=None, is_active=False)

    assert service.pk not in search.search_services("legalisasi dokumen")
