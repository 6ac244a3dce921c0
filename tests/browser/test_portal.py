"""The public front door in a real browser, in both languages, with axe-core after every page load:
home and static pages, agencies, the language and display switches, the keyboard, a 320 px phone,
and the strict Content-Security-Policy (no inline script or style anywhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from layanan.accounts.tests.factories import ServiceUnitFactory

LANGUAGES = ["id", "en"]
# path -> (Indonesian h1, English h1)
PUBLIC_PAGES = {
    "/": ("Layanan publik dalam satu tempat", "Public services in one place"),
    "/aksesibilitas/": ("Pernyataan aksesibilitas", "Accessibility statement"),
    "/privasi/": ("Cara kami menjaga data pribadi Anda", "How we look after your personal data"),
}
LABELS = {
    "id": {"large": "Teks besar", "contrast": "Kontras tinggi", "switch": "English", "home": "Beranda"},
    "en": {"large": "Large text", "contrast": "High contrast", "switch": "Bahasa Indonesia", "home": "Home"},
}
Axe = Callable[[Any], None]


def _h1(page: Any) -> str:
    text: str = page.get_by_role("heading", level=1).inner_text()
    return text


def _press_and_wait(page: Any, locator: Any) -> None:
    """Activate a control that submits a form, and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def _agency(name: str = "Dinas Kependudukan dan Pencatatan Sipil", slug: str = "disdukcapil") -> Any:
    return ServiceUnitFactory(agency__name=name, agency__slug=slug, name="Loket Akta Kelahiran").agency


@pytest.mark.parametrize("path", list(PUBLIC_PAGES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_page_in_both_languages(
    page: Any, axe: Axe, set_language: Any, language: str, path: str
) -> None:
    set_language(page, language)

    page.goto(path)
    axe(page)

    indonesian, english = PUBLIC_PAGES[path]
    assert page.locator("html").get_attribute("lang") == language
    assert _h1(page) == (indonesian if language == "id" else english)
    assert page.locator("h1").count() == 1
    assert page.title().endswith("— Layanan")
    for landmark in ("banner", "navigation", "main", "contentinfo"):
        assert page.get_by_role(landmark).count() >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_shows_how_it_works(page: Any, axe: Axe, set_language: Any, language: str) -> None:
    set_language(page, language)

    page.goto("/")
    axe(page)

    heading = "Alur layanan" if language == "id" else "How it works"
    steps = page.locator("ol.steps > li")
    assert page.get_by_role("heading", level=2, name=heading).is_visible()
    assert steps.count() == 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_agency_list_leads_to_agency_detail(page: Any, axe: Axe, set_language: Any, language: str) -> None:
    _agency()
    set_language(page, language)

    page.goto("/")
    axe(page)
    page.get_by_role("navigation", name="Menu utama" if language == "id" else "Main menu").get_by_role(
        "link", name="Instansi" if language == "id" else "Agencies"
    ).click()
    page.wait_for_url("**/instansi/")
    axe(page)
    page.get_by_role("link", name="Dinas Kependudukan dan Pencatatan Sipil").click()
    page.wait_for_url("**/instansi/disdukcapil/")
    axe(page)

    assert page.locator("html").get_attribute("lang") == language
    assert _h1(page) == "Dinas Kependudukan dan Pencatatan Sipil"
    assert page.get_by_text("Loket Akta Kelahiran").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_round_trip_keeps_the_page(
    page: Any, axe: Axe, set_language: Any, language: str
) -> None:
    other = "en" if language == "id" else "id"
    set_language(page, language)
    page.goto("/aksesibilitas/")
    axe(page)

    _press_and_wait(page, page.get_by_role("button", name=LABELS[language]["switch"]))
    axe(page)

    assert page.url.endswith("/aksesibilitas/")
    assert page.locator("html").get_attribute("lang") == other
    assert _h1(page) == ("Accessibility statement" if other == "en" else "Pernyataan aksesibilitas")

    _press_and_wait(page, page.get_by_role("button", name=LABELS[other]["switch"]))
    axe(page)

    assert page.url.endswith("/aksesibilitas/")
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_large_text_switch_enlarges_the_root_font(
    page: Any, axe: Axe, set_language: Any, language: str
) -> None:
    set_language(page, language)
    page.goto("/")
    axe(page)
    root_size = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    before = page.evaluate(root_size)

    _press_and_wait(page, page.get_by_role("button", name=LABELS[language]["large"]))
    axe(page)

    assert page.evaluate(root_size) == pytest.approx(before * 1.25)
    assert page.get_by_role("button", name=LABELS[language]["large"]).get_attribute("aria-pressed") == "true"

    _press_and_wait(page, page.get_by_role("button", name=LABELS[language]["large"]))
    axe(page)

    assert page.evaluate(root_size) == pytest.approx(before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_high_contrast_switch_turns_the_page_white_on_black(
    page: Any, axe: Axe, set_language: Any, language: str
) -> None:
    set_language(page, language)
    page.goto("/")
    axe(page)

    _press_and_wait(page, page.get_by_role("button", name=LABELS[language]["contrast"]))
    axe(page)

    assert "pref-high-contrast" in (page.locator("html").get_attribute("class") or "")
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(255, 255, 255)"
    assert (
        page.get_by_role("button", name=LABELS[language]["contrast"]).get_attribute("aria-pressed") == "true"
    )

    page.goto("/aksesibilitas/")
    axe(page)

    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"


_FOCUSED = r"""() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return {
        text: copy.textContent.replace(/\s+/g, ' ').trim(),
        tag: el.tagName.toLowerCase(),
        visible: el.getBoundingClientRect().width > 0,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        highlighted: style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)',
        height: el.getBoundingClientRect().height,
    };
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_alone_reaches_every_header_control_with_visible_focus(
    page: Any, axe: Axe, set_language: Any, language: str
) -> None:
    labels = LABELS[language]
    set_language(page, language)
    page.goto("/")
    axe(page)

    visited = []
    for _ in range(11):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused["visible"], focused
        assert focused["outline"], focused
        assert focused["highlighted"], focused
        assert focused["height"] >= 24, focused
        visited.append(focused["text"])

    skip = "Langsung ke konten utama" if language == "id" else "Skip to main content"
    sign_in = "Masuk" if language == "id" else "Sign in"
    agencies = "Instansi" if language == "id" else "Agencies"
    services = "Layanan" if language == "id" else "Services"
    with translation.override(language):
        report = translation.gettext("Report a problem")
        public_reports = translation.gettext("Public reports")
    assert visited == [
        skip,
        "Layanan Mal Pelayanan Publik" if language == "id" else "Layanan Public Service Mall",
        labels["switch"],
        labels["large"],
        labels["contrast"],
        labels["home"],
        services,
        agencies,
        report,
        public_reports,
        sign_in,
    ]

    # Back to the large-text switch and press it with the keyboard.
    for _ in range(7):
        page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)

    assert "pref-large-text" in (page.locator("html").get_attribute("class") or "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_skip_link_moves_focus_to_main(page: Any, axe: Axe, set_language: Any, language: str) -> None:
    set_language(page, language)
    page.goto("/")
    axe(page)

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("display", ["", "large-text", "high-contrast"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_fit_a_320_pixel_screen(
    page: Any, axe: Axe, set_language: Any, live_server: Any, language: str, display: str
) -> None:
    _agency()
    set_language(page, language)
    if display:
        page.context.add_cookies([{"name": "layanan_display", "value": display, "url": live_server.url}])
    page.set_viewport_size({"width": 320, "height": 720})

    for path in [*PUBLIC_PAGES, "/instansi/", "/instansi/disdukcapil/", "/tidak-ada/"]:
        page.goto(path)
        axe(page)

        assert page.evaluate(_OVERFLOW) <= 0, f"{path} scrolls sideways at 320 px"


@pytest.mark.urls("layanan.portal.tests.urls")
@pytest.mark.parametrize("display", ["", "high-contrast"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_shared_components_are_accessible(
    page: Any, axe: Axe, set_language: Any, live_server: Any, language: str, display: str
) -> None:
    set_language(page, language)
    if display:
        page.context.add_cookies([{"name": "layanan_display", "value": display, "url": live_server.url}])

    page.goto("/uji/komponen/?page=2")
    axe(page)

    assert page.get_by_role(
        "button", name="Cetak halaman ini" if language == "id" else "Print this page"
    ).is_visible()

    page.set_viewport_size({"width": 320, "height": 720})
    page.goto("/uji/komponen/?errors=1")
    axe(page)

    assert page.evaluate(_OVERFLOW) <= 0
    # layanan.js puts the focus on the error summary; its links lead to the fields.
    assert page.evaluate("() => document.activeElement.className") == "error-summary"
    page.locator(".error-summary a").nth(1).click()
    assert page.evaluate("() => document.activeElement.id") == "id_channel_0"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_keep_the_strict_content_security_policy(
    browser_instance: Any, live_server: Any, language: str
) -> None:
    # A context of its own, without the CSP bypass the axe harness needs: any inline style or
    # script, or a failing enhancement script, shows up as a console error here.
    _agency()
    context = browser_instance.new_context(base_url=live_server.url)
    context.add_cookies([{"name": "layanan_language", "value": language, "url": live_server.url}])
    context.add_cookies([{"name": "layanan_display", "value": "large-text", "url": live_server.url}])
    browser_page = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(message.text)

    browser_page.on("console", on_console)
    browser_page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        for path in [*PUBLIC_PAGES, "/instansi/", "/instansi/disdukcapil/", "/tidak-ada/"]:
            response = browser_page.goto(path)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            browser_page.wait_for_load_state("load")
    finally:
        context.close()

    # The 404 page logs its status as a console error; nothing else may.
    assert [problem for problem in problems if "404" not in problem] == []
