"""The back office of applications in a real browser, in both languages, checked with axe-core after
every page load: a back-office officer opens the unit's queue, filters it, opens a case by keyboard,
looks at the shared documents and one personal-data answer, returns the case for correction with a
note (a missing note first), accepts it once corrected and takes it; the unit head approves it,
reads the workload of the unit and the service's workflow.

Selectors use ids, names and form actions, not texts: the pages read the same in both languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import transition_application
from layanan.applications.models import Application
from layanan.applications.tests.factories import VALID_NIK, submitted_application
from layanan.applications.tests.test_queries_staff import queue_rows
from layanan.catalog.tests.factories import service_with_adopted_standard

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
NOTE = "Foto KTP buram. Mohon unggah ulang foto KTP yang jelas."


def _step(page: Any, axe: Axe, key: str) -> None:
    page.locator(f'form[action$="/langkah/{key}/"] button[type=submit]').click()
    page.wait_for_load_state("load")
    axe(page)


def _one_document_at_a_time(page: Any) -> None:
    """Hold back the images the case page loads by itself; ``_load_images`` loads them one by one.

    Each document view writes an audit event; loading them one by one lets the test check each
    image's decoded size. (Parallel loads are fine: the SQLite test database is a file, where a
    second writer waits its turn, as on PostgreSQL; see ``layanan/test_settings.py``.)
    """

    def route(request_route: Any) -> None:
        if "one-by-one" in request_route.request.url:
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/dokumen/**", route)


def _load_images(page: Any) -> list[int]:
    """The natural width of each document image of the page, loaded one after the other."""
    widths: list[int] = page.evaluate(
        """async () => {
            const widths = [];
            for (const shown of document.querySelectorAll('figure.apps-document img')) {
                const img = new Image();
                img.src = shown.getAttribute('src') + '?one-by-one';
                await img.decode();
                widths.push(img.naturalWidth);
            }
            return widths;
        }"""
    )
    return widths


def _state(application: Application) -> str:
    application.refresh_from_db()
    return application.state


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_handles_a_case_and_the_unit_head_approves(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    unit_a: ServiceUnit,
    citizen: User,
    officer: User,
    unit_head: User,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, name="Kartu Keluarga", slug="kartu-keluarga")
    application = submitted_application(service, citizen)
    late = queue_rows(application, [datetime.date(2020, 1, 6)])[0]
    set_language(page, language)
    login_as(page, officer)
    _one_document_at_a_time(page)

    # 1. The queue: both cases, the late one first, tagged in words.
    page.goto("/petugas/permohonan/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    rows = page.locator("table.apps-queue tbody tr")
    assert rows.count() == 2
    assert late.reference in rows.nth(0).inner_text()
    assert rows.nth(0).locator(".tag-red").count() == 1

    # 2. Filter: overdue only, then back to everything.
    page.select_option("#id_deadline", "overdue")
    page.locator("form.apps-queue-filters button[type=submit]").click()
    axe(page)
    assert "deadline=overdue" in page.url
    assert rows.count() == 1
    assert late.reference in rows.nth(0).inner_text()
    page.select_option("#id_deadline", "")
    page.locator("form.apps-queue-filters button[type=submit]").click()
    axe(page)
    assert rows.count() == 2

    # 3. The rows are links reached with Tab: open the case with the keyboard.
    link = page.locator(f'table.apps-queue a[href$="/{application.reference}/"]')
    for _press in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the case link cannot be reached with Tab")
    # The focus is visible: the yellow focus style (a box shadow) is on the link.
    assert link.evaluate("element => getComputedStyle(element).boxShadow") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/petugas/permohonan/{application.reference}/")
    axe(page)
    assert application.reference in page.get_by_role("heading", level=1).inner_text()

    # 4. The shared documents show inline; personal data is masked until shown, once.
    assert page.locator("figure.apps-document img[alt]").count() == 2
    assert _load_images(page) == [40, 40]  # decoded by the browser from the staff document view
    assert VALID_NIK not in page.content()
    page.locator('form[action$="/data/nik/"] button').click()
    axe(page)
    assert VALID_NIK in page.content()
    page.goto(f"/petugas/permohonan/{application.reference}/")
    axe(page)
    assert VALID_NIK not in page.content()

    # 5. Start the check, then return it for correction: without a note first.
    _step(page, axe, "start_check")
    assert _state(application) == "completeness_check"
    assert page.locator(".messages").is_visible()
    _step(page, axe, "return_for_correction")
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#note-return_for_correction").get_attribute("aria-invalid") == "true"
    assert _state(application) == "completeness_check"
    page.locator("#note-return_for_correction").fill(NOTE)
    _step(page, axe, "return_for_correction")
    assert _state(application) == "returned_for_correction"
    assert NOTE in page.locator(".apps-timeline").inner_text()

    # 6. The applicant corrects it (their own pages); the officer accepts it and takes the case.
    transition_application(application, "resubmit", actor=citizen, note="Sudah saya unggah ulang.")
    page.reload()
    axe(page)
    _step(page, axe, "accept_complete")
    assert _state(application) == "processing"
    page.locator("button[name=assign][value=me]").click()
    axe(page)
    application.refresh_from_db()
    assert application.assigned_to_id == officer.pk
    assert page.locator('form[action$="/langkah/approve/"]').count() == 0  # the unit head decides

    # 7. The unit head approves, sees the workload and the workflow of the service.
    login_as(page, unit_head)
    page.goto("/petugas/permohonan/beban-kerja/")
    axe(page)
    assert page.locator(f'a[href$="/{late.reference}/"]').count() == 1
    page.goto(f"/petugas/permohonan/{application.reference}/")
    axe(page)
    page.locator("#note-approve").fill("Disetujui.")
    _step(page, axe, "approve")
    assert _state(application) == "approved"
    application.refresh_from_db()
    assert application.decided_at is not None

    page.goto("/petugas/layanan/kartu-keluarga/alur/")
    axe(page)
    page.fill("#id_overall", "0")
    page.locator("main form[method=post] button.button").click()
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_overall").input_value() == "0"
    page.fill("#id_overall", "5")
    page.locator("main form[method=post] button.button").click()
    axe(page)
    assert page.locator(".messages").is_visible()
    assert page.locator("#versions + div tbody tr").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_head_assigns_with_the_select(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    unit_a: ServiceUnit,
    citizen: User,
    officer: User,
    unit_head: User,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, name="Kartu Keluarga")
    application = submitted_application(service, citizen)
    set_language(page, language)
    login_as(page, unit_head)

    page.goto("/petugas/permohonan/")
    axe(page)
    page.locator(f'a[href$="/{application.reference}/"]').click()
    axe(page)
    page.select_option("#assignee", officer.username)
    page.locator("button[name=assign][value=chosen]").click()
    axe(page)
    application.refresh_from_db()
    assert application.assigned_to_id == officer.pk
    assert officer.full_name in page.locator(".apps-timeline").inner_text()
