"""Error pages in a real browser, in both languages, with axe-core after every page load: 400, 403,
404 and 500, and the page shown when a form's security token has expired (CSRF failure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_django import Settings

LANGUAGES = ["id", "en"]
ERROR_PAGES = {
    "/uji/400/": (
        400,
        "Maaf, permintaan Anda tidak dapat kami proses",
        "Sorry, we could not understand that request",
    ),
    "/uji/403/": (403, "Anda tidak memiliki akses ke halaman ini", "You do not have access to this page"),
    "/tidak-ada/": (404, "Halaman tidak ditemukan", "Page not found"),
    "/uji/500/": (500, "Maaf, ada masalah pada layanan ini", "Sorry, there is a problem with the service"),
}
Axe = Callable[[Any], None]


@pytest.mark.urls("layanan.portal.tests.urls")
@pytest.mark.parametrize("path", list(ERROR_PAGES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_error_page_in_both_languages(
    page: Any, axe: Axe, set_language: Any, language: str, path: str
) -> None:
    status, indonesian, english = ERROR_PAGES[path]
    set_language(page, language)

    response = page.goto(path)
    axe(page)

    assert response.status == status
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1).inner_text() == (indonesian if language == "id" else english)
    home = page.get_by_role("link", name="Kembali ke beranda" if language == "id" else "Go to the home page")
    home.click()
    page.wait_for_url("**/")
    axe(page)

    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.urls("layanan.portal.tests.urls")
@pytest.mark.parametrize("language", LANGUAGES)
def test_server_error_page_keeps_high_contrast(
    page: Any, axe: Axe, set_language: Any, live_server: Any, language: str
) -> None:
    set_language(page, language)
    page.context.add_cookies([{"name": "layanan_display", "value": "high-contrast", "url": live_server.url}])

    page.goto("/uji/500/")
    axe(page)

    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_expired_form_explains_and_going_back_loses_nothing(
    page: Any, axe: Axe, set_language: Any, settings: Settings, language: str
) -> None:
    settings.CSRF_FAILURE_VIEW = "layanan.portal.views.csrf_failure"
    set_language(page, language)
    page.goto("/privasi/")
    axe(page)
    # The security cookie disappears while the page is open (cleared, or blocked by the browser).
    page.context.clear_cookies(name="csrftoken")
    large_text = "Teks besar" if language == "id" else "Large text"

    with page.expect_navigation():
        page.get_by_role("button", name=large_text).click()
    axe(page)

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Formulir sudah kedaluwarsa" if language == "id" else "The form has expired"
    )
    assert "pref-large-text" not in (page.locator("html").get_attribute("class") or "")

    page.go_back()
    page.reload()
    axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=large_text).click()
    axe(page)

    assert page.url.endswith("/privasi/")
    assert "pref-large-text" in (page.locator("html").get_attribute("class") or "")
