"""Public tracking in a real browser, in both languages, with axe-core after every page load: a
visitor mistypes the reference (caught by the check digit), then tracks the application with the
reference as they typed it and the tracking code, and sees the public timeline without personal
data or the officer's note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import transition_application
from layanan.applications.tests.factories import VALID_NIK, submit
from layanan.catalog.tests.factories import service_with_adopted_standard

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
NOTE = "Scan KTP buram, mohon unggah ulang"
STATES = {
    "id": ["Diajukan", "Pemeriksaan kelengkapan", "Dikembalikan untuk perbaikan"],
    "en": ["Submitted", "Completeness check", "Returned for correction"],
}


def _submit(page: Any, axe: Axe) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button.button").click()
    axe(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_track_an_application_by_reference_and_code(
    page: Any,
    axe: Axe,
    set_language: Any,
    citizen: User,
    officer: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, name="Kartu Keluarga", channel="both")
    submission = submit(service, citizen)
    assert submission.secret is not None
    application = transition_application(submission.application, "start_check", actor=officer)
    application = transition_application(application, "return_for_correction", actor=officer, note=NOTE)
    reference = application.reference
    typo = f"{reference[:-1]}{(int(reference[-1]) + 1) % 10}"
    set_language(page, language)

    page.goto("/lacak/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main form").get_attribute("method") == "post"

    # A mistyped reference: the check digit catches it, what was typed stays in the form.
    page.fill("input[name=reference]", typo)
    page.fill("input[name=code]", submission.secret)
    _submit(page, axe)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_reference_error").is_visible()
    assert page.locator("input[name=reference]").input_value() == typo
    assert page.locator("input[name=code]").input_value() == submission.secret

    # The reference as a citizen types it (small letters, spaces), the code in two halves.
    page.fill("input[name=reference]", reference.lower().replace("-", " "))
    page.fill("input[name=code]", f"{submission.secret[:4].lower()} {submission.secret[4:]}")
    _submit(page, axe)

    assert page.url.endswith("/lacak/")
    assert submission.secret not in page.url
    assert reference in page.get_by_role("heading", level=1).inner_text()
    main = page.locator("main").inner_text()
    assert "Kartu Keluarga" in main
    assert page.locator(".summary-list .tag").inner_text() == STATES[language][2]
    rows = page.locator("#timeline tbody tr").all_inner_texts()
    assert len(rows) == 3
    for row, state in zip(rows, STATES[language], strict=True):
        assert state in row
    html = page.content()
    for private in (VALID_NIK, "Siti Rahmawati", "Merdeka", "1234567890", NOTE, submission.secret):
        assert private not in html

    with page.expect_navigation():
        page.locator('main a[href="/lacak/"]').click()
    axe(page)
    assert page.locator("input[name=reference]").input_value() == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_tries_page(
    page: Any,
    axe: Axe,
    set_language: Any,
    citizen: User,
    unit_a: ServiceUnit,
    language: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from layanan.applications.views import tracking

    monkeypatch.setattr(tracking, "TRACKING_LIMIT", 1)
    service = service_with_adopted_standard(unit=unit_a, name="Kartu Keluarga", channel="both")
    reference = submit(service, citizen).application.reference
    set_language(page, language)

    page.goto("/lacak/")
    axe(page)
    page.fill("input[name=reference]", reference)
    page.fill("input[name=code]", "ABCDEFGH")
    _submit(page, axe)
    assert page.locator(".error-summary").is_visible()

    page.fill("input[name=code]", "ABCDEFGH")
    with page.expect_navigation() as navigation:
        page.locator("main form[method=post] button.button").click()
    axe(page)
    assert navigation.value.status == 429
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("input[name=code]").count() == 0
    assert page.locator('main a[href="/lacak/"]').is_visible()
