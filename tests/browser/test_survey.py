"""The satisfaction survey (SKM) in a real browser, in both languages, with axe-core after every
page load:

* a citizen whose application was completed finds the survey on the application's page, first
  sends it empty (the message comes back), answers, and cannot answer a second time;
* after a counter visit, the officer gives a one-time code; on the kiosk tablet the person types
  it, answers, and the kiosk comes back to the code screen (the used code is refused);
* the unit head moderates a suggestion that holds a phone number, adds a follow-up action and
  publishes last quarter's report; the public finds it in the list, reads it (no phone number)
  and downloads the PDF.

Selectors use ids, names and form actions, not texts: the pages read the same in both languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import transition_application
from layanan.applications.tests.factories import submit
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.survey.actions import submit_response
from layanan.survey.elements import ELEMENT_KEYS
from layanan.survey.models import FollowUpAction, SurveyInvitation, SurveyReport, SurveyResponse
from layanan.survey.periods import Period

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
PHONE = "081298765432"
COMPLETED = ("start_check", "accept_complete", "approve", "issue_output", "complete")


def _click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _answer_everything(page: Any, *, value: int = 4) -> None:
    for key in ELEMENT_KEYS:
        page.check(f"#id_{key}_{value - 1}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_citizen_answers_after_a_completed_application(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    citizen: User,
    officer: User,
    unit_head: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, name="Kartu Keluarga", channel="both")
    application = submit(service, citizen).application
    for key in COMPLETED:
        actor = unit_head if key == "approve" else officer
        application = transition_application(application, key, actor=actor)
    set_language(page, language)
    login_as(page, citizen)

    page.goto(reverse("applications:detail", kwargs={"reference": application.reference}))
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    _click(page, "#survey-invitation-title ~ p a.button")
    axe(page)
    survey_url = page.url

    # Sent empty: the message comes back, nothing is stored.
    _click(page, "main form.survey-form button[type=submit]")
    axe(page)
    assert page.locator(".error-summary").count() == 1
    assert SurveyResponse.objects.count() == 0

    _answer_everything(page)
    page.check("#id_sex_1")
    page.fill("#id_suggestion", "Pelayanan cepat, terima kasih.")
    _click(page, "main form.survey-form button[type=submit]")
    axe(page)
    assert page.url.endswith(reverse("survey:thanks"))
    response = SurveyResponse.objects.get()
    assert [response.answers()[key] for key in ELEMENT_KEYS] == [4] * 9
    assert response.channel == "application"
    assert response.service == service
    assert SurveyInvitation.objects.get(source_key=f"application:{application.reference}").answered

    # The application's page now says it was answered; the link no longer opens the form.
    page.goto(reverse("applications:detail", kwargs={"reference": application.reference}))
    axe(page)
    assert page.locator("#survey-invitation-title").count() == 0
    page.goto(survey_url)
    axe(page)
    assert page.locator("main form.survey-form").count() == 0
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_counter_code_answered_at_the_kiosk(
    page: Any,
    browser_instance: Any,
    live_server: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    front_officer: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, name="KTP elektronik", channel="both")
    set_language(page, language)
    login_as(page, front_officer)
    page.goto(reverse("survey:staff-overview"))
    axe(page)
    code_url = reverse(
        "survey:staff-issue-code", kwargs={"agency_slug": unit_a.agency.slug, "unit_slug": unit_a.slug}
    )
    _click(page, f"main a[href='{code_url}']")
    axe(page)
    page.select_option("#id_service", str(service.pk))
    _click(page, "main form[method=post] button[type=submit]")
    axe(page)
    code = page.locator("#survey-code").inner_text().strip()
    assert len(code) == 9
    assert code[4] == "-"
    assert page.locator(".survey-qr svg").count() == 1

    # The kiosk: another browser context, nobody signed in.
    # (bypass_csp only lets the harness inject axe-core, as in the ``page`` fixture.)
    kiosk_context = browser_instance.new_context(
        base_url=live_server.url, viewport={"width": 800, "height": 1280}, bypass_csp=True
    )
    kiosk_context.add_cookies([{"name": "layanan_language", "value": language, "url": live_server.url}])
    kiosk = kiosk_context.new_page()
    try:
        kiosk.goto(reverse("survey:kiosk"))
        axe(kiosk)
        _click(kiosk, "main form[method=post] button[type=submit]:not([name=leave])")
        axe(kiosk)
        kiosk.fill("#id_code", code.lower())
        _click(kiosk, "main form[action$='/survei/kode/'] button[type=submit]")
        axe(kiosk)
        assert kiosk.locator("#kiosk-title").count() == 1
        _answer_everything(kiosk, value=3)
        _click(kiosk, "main form.survey-form button[type=submit]")
        axe(kiosk)
        _click(kiosk, f"main a.button[href='{reverse('survey:code')}']")
        axe(kiosk)
        # The same code again: refused, the kiosk stays on the code screen.
        kiosk.fill("#id_code", code)
        _click(kiosk, "main form[action$='/survei/kode/'] button[type=submit]")
        axe(kiosk)
        assert kiosk.locator(".error-summary").count() == 1
    finally:
        kiosk_context.close()
    response = SurveyResponse.objects.get()
    assert response.channel == "counter"
    assert response.service == service
    assert [response.answers()[key] for key in ELEMENT_KEYS] == [3] * 9


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_head_publishes_and_the_public_reads_the_report(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    unit_head: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    period = Period.containing(timezone.localdate(), "quarter").previous()
    for number in range(12):
        submit_response(
            answers={key: 3 + (number + index) % 2 for index, key in enumerate(ELEMENT_KEYS)},
            profile={"sex": "P" if number % 3 else "L", "age_band": "30-39"},
            suggestion=f"Ruang tunggu panas, hubungi saya di {PHONE}." if number == 0 else "",
            unit=unit_a,
            form_nonce=f"browser-{number}",
            today=period.start + datetime.timedelta(days=number),
        )
    set_language(page, language)
    login_as(page, unit_head)
    page.goto(reverse("survey:staff-overview") + f"?jenis=triwulan&periode={period.key}")
    axe(page)
    unit_url = reverse(
        "survey:staff-unit-period",
        kwargs={"agency_slug": unit_a.agency.slug, "unit_slug": unit_a.slug, "period_key": period.key},
    )
    _click(page, f"main a[href='{unit_url}']")
    axe(page)

    # Publishing with a suggestion still waiting is refused, with the reason.
    _click(page, "main form[action$='/terbitkan/'] button[type=submit]")
    axe(page)
    assert page.locator(".error-summary").count() == 1
    assert not SurveyReport.objects.filter(status="published").exists()

    # Moderate: the proposed wording already has the phone number taken out.
    moderation = page.locator("main form.survey-moderation")
    assert PHONE not in moderation.locator("textarea").input_value()
    moderation.locator("input[value=publish]").check()
    with page.expect_navigation():
        moderation.locator("button[type=submit]").click()
    axe(page)

    page.select_option("#id_element", "sarana")
    page.fill("#id_action", "Memasang dua pendingin ruangan di ruang tunggu.")
    page.fill("#id_owner", "Kepala Subbagian Umum")
    page.fill("#id_due_on", (period.end + datetime.timedelta(days=45)).isoformat())
    _click(page, "main form[action$='/rencana/'] button[type=submit]")
    axe(page)
    assert FollowUpAction.objects.count() == 1

    _click(page, "main form[action$='/terbitkan/'] button[type=submit]")
    axe(page)
    report = SurveyReport.objects.get(status="published")
    assert page.url.endswith(unit_url.replace("/petugas/skm/", "/skm/"))
    assert PHONE not in page.content()

    # The public: the list, the report, the PDF.
    page.context.clear_cookies()
    set_language(page, language)
    page.goto(reverse("survey:public-list"))
    axe(page)
    public_url = unit_url.replace("/petugas/skm/", "/skm/")
    _click(page, f"main a[href='{public_url}']")
    axe(page)
    html = page.content()
    assert PHONE not in html
    assert "Memasang dua pendingin ruangan" in html
    assert page.locator(".survey-ikm-value").inner_text().strip() == _ikm_text(report, language)
    pdf = page.request.get(public_url + "laporan.pdf")
    assert pdf.status == 200
    assert pdf.body()[:5] == b"%PDF-"


def _ikm_text(report: SurveyReport, language: str) -> str:
    from layanan.survey.queries import published_score

    score = published_score(report)
    assert score is not None
    text = f"{score.ikm:.2f}"
    return text.replace(".", ",") if language == "id" else text
