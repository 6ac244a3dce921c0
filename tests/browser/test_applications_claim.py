"""Two citizen pages not on the main journeys, in a real browser, both languages, axe after every
page load: claiming an application made at the counter (a wrong code first), and the page a
service that takes no online applications answers with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import citizen_profile_with_nik
from layanan.applications.actions import submit_application
from layanan.applications.tests.factories import VALID_NIK, complete_answers
from layanan.catalog.tests.factories import service_with_adopted_standard
from tests.browser.test_applications_citizen import _follow, _t

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_claim_an_application_made_at_the_counter(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    citizen: User,
    other_citizen: User,
    front_officer: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, channel="both")
    made = submit_application(
        service=service,
        applicant=other_citizen,
        answers=complete_answers(service, other_citizen),
        actor=front_officer,
        channel="counter",
        consent=True,
    )
    assert made.secret is not None
    citizen_profile_with_nik(citizen, nik=VALID_NIK)
    set_language(page, language)
    login_as(page, citizen)

    page.goto("/akun/permohonan/klaim/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(_t(language, "Reference number")).fill(made.application.reference.lower())
    page.get_by_label(_t(language, "Tracking code")).fill("WRONG234")
    _follow(page, page.get_by_role("button", name=_t(language, "Claim the application")))
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert (
        page.get_by_label(_t(language, "Reference number")).input_value()
        == made.application.reference.lower()
    )

    page.get_by_label(_t(language, "Tracking code")).fill(made.secret)
    _follow(page, page.get_by_role("button", name=_t(language, "Claim the application")))
    axe(page)
    assert page.url.endswith(f"/akun/permohonan/{made.application.reference}/")
    made.application.refresh_from_db()
    assert made.application.applicant == citizen


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_counter_only_service_says_where_to_go(
    page: Any, axe: Axe, set_language: Any, login_as: Any, citizen: User, unit_a: ServiceUnit, language: str
) -> None:
    service = service_with_adopted_standard(unit=unit_a, channel="counter", counter_location="MPP, loket 3")
    set_language(page, language)
    login_as(page, citizen)
    response = page.goto(f"/layanan/{service.slug}/ajukan/")
    axe(page)
    assert response is not None
    assert response.status == 409
    assert page.locator("html").get_attribute("lang") == language
    assert "MPP, loket 3" in page.locator("main").inner_text()
