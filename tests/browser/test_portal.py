from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("language", ["id", "en"])
def test_home_page_in_both_languages(page: Any, axe: Any, set_language: Any, language: str) -> None:
    set_language(page, language)

    page.goto("/")
    axe(page)

    assert page.locator("html").get_attribute("lang") == language
    if language == "en":
        assert page.get_by_role("heading", level=1).inner_text() == "Public services in one place"


def test_skip_link_moves_focus_to_main(page: Any, axe: Any) -> None:
    page.goto("/")
    axe(page)

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
