"""The only global fixtures: the personas of the platform and a logged-in client for each.

Everything else is built inside the test with the factories in ``layanan/*/tests/factories.py``.
Staff clients are signed in *and* verified with their second factor, as in production.
"""

from __future__ import annotations

import pytest
from django.test import Client

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import CitizenFactory, ServiceUnitFactory, staff_with_role
from layanan.core.testing import verified_client


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Tests share the process's cache with the live server: start each one empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def unit_a(db: None) -> ServiceUnit:
    return ServiceUnitFactory(
        agency__name="Dinas Kependudukan dan Pencatatan Sipil", agency__slug="disdukcapil"
    )


@pytest.fixture
def unit_b(db: None) -> ServiceUnit:
    return ServiceUnitFactory(agency__name="Dinas Penanaman Modal dan PTSP", agency__slug="dpmptsp")


@pytest.fixture
def citizen(db: None) -> User:
    return CitizenFactory(full_name="Siti Rahmawati")


@pytest.fixture
def other_citizen(db: None) -> User:
    return CitizenFactory(full_name="Budi Santoso")


@pytest.fixture
def front_officer(unit_a: ServiceUnit) -> User:
    return staff_with_role(Role.FRONT_OFFICE, unit=unit_a)


@pytest.fixture
def officer(unit_a: ServiceUnit) -> User:
    return staff_with_role(Role.BACK_OFFICE, unit=unit_a)


@pytest.fixture
def other_agency_officer(unit_b: ServiceUnit) -> User:
    return staff_with_role(Role.BACK_OFFICE, unit=unit_b)


@pytest.fixture
def unit_head(unit_a: ServiceUnit) -> User:
    return staff_with_role(Role.UNIT_HEAD, unit=unit_a)


@pytest.fixture
def coordinator(unit_a: ServiceUnit) -> User:
    return staff_with_role(Role.COMPLAINT_COORDINATOR, agency=unit_a.agency)


@pytest.fixture
def inspector(unit_a: ServiceUnit) -> User:
    return staff_with_role(Role.INSPECTORATE, agency=unit_a.agency)


@pytest.fixture
def admin_user(db: None) -> User:
    return staff_with_role(Role.PLATFORM_ADMIN)


@pytest.fixture
def citizen_client(citizen: User) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


@pytest.fixture
def officer_client(officer: User) -> Client:
    return verified_client(officer)


@pytest.fixture
def other_agency_officer_client(other_agency_officer: User) -> Client:
    return verified_client(other_agency_officer)


@pytest.fixture
def unit_head_client(unit_head: User) -> Client:
    return verified_client(unit_head)


@pytest.fixture
def admin_client_verified(admin_user: User) -> Client:
    return verified_client(admin_user)
