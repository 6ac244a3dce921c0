"""Browser test harness: Playwright driving Debian's chromium against a live server, with
axe-core checking every page a test loads for WCAG 2.2 A/AA violations.

* The browser is ``/usr/bin/chromium`` (or ``LAYANAN_CHROMIUM``); no browser is downloaded.
  Without it the browser tests skip, unless ``LAYANAN_REQUIRE_BROWSER=1`` (CI), where a missing
  browser is an error.
* Use the ``page`` fixture and call ``axe(page)`` after every page load. Loads are counted: a
  page that loaded but was not checked fails the test at teardown, and the last page is checked
  automatically. Any violation fails the test with the rule, impact and offending nodes.
* A failing test leaves a full-page screenshot in ``test-results/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium_path() -> str | None:
    configured = os.environ.get("LAYANAN_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            # One browser per xdist worker, all browser tests on the same worker group.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_instance() -> Iterator[Any]:
    executable = _chromium_path()
    if executable is None:
        if os.environ.get("LAYANAN_REQUIRE_BROWSER") == "1":
            pytest.fail("LAYANAN_REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium).")
        pytest.skip(
            "chromium is not installed; browser tests skipped (set LAYANAN_REQUIRE_BROWSER=1 to fail)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class AxeTracker:
    loads: int = 0
    checked: int = 0
    violations: list[str] = field(default_factory=list)


def _run_axe(page: Any, tracker: AxeTracker) -> None:
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE.read_text())
    result = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const r = await axe.run(document, options);
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    tracker.checked = tracker.loads
    for violation in result:
        tracker.violations.append(f"{page.url}: {json.dumps(violation, ensure_ascii=False)}")


@pytest.fixture
def axe_tracker() -> AxeTracker:
    return AxeTracker()


@pytest.fixture
def axe(axe_tracker: AxeTracker) -> Callable[[Any], None]:
    """Check the page now loaded; fails at once on any WCAG 2.2 A/AA violation."""

    def check(page: Any) -> None:
        _run_axe(page, axe_tracker)
        if axe_tracker.violations:
            found = "\n".join(axe_tracker.violations)
            axe_tracker.violations.clear()
            pytest.fail(f"axe-core found WCAG violations:\n{found}")

    return check


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser_instance: Any, live_server: Any, axe_tracker: AxeTracker
) -> Iterator[Any]:
    # bypass_csp only lets the harness inject axe-core; the pages keep their strict CSP otherwise.
    context = browser_instance.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    browser_page = context.new_page()

    def on_load(_page: Any) -> None:
        axe_tracker.loads += 1

    browser_page.on("load", on_load)
    yield browser_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    try:
        if not failed and axe_tracker.loads > axe_tracker.checked:
            if axe_tracker.loads - axe_tracker.checked > 1:
                pytest.fail(
                    f"{axe_tracker.loads - axe_tracker.checked} page loads were not checked with axe(page); "
                    "call axe(page) after every navigation."
                )
            _run_axe(browser_page, axe_tracker)
            if axe_tracker.violations:
                pytest.fail("axe-core found WCAG violations:\n" + "\n".join(axe_tracker.violations))
    finally:
        if failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            browser_page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: Any = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def set_language(live_server: Any) -> Callable[[Any, str], None]:
    """Choose the interface language the way a visitor does (the language cookie)."""

    def choose(page: Any, language: str) -> None:
        page.context.add_cookies([{"name": "layanan_language", "value": language, "url": live_server.url}])

    return choose


@pytest.fixture
def login_as(live_server: Any) -> Callable[[Any, Any], None]:
    """Sign ``user`` in by putting a session cookie in the browser (staff: also TOTP-verified).

    Use it for tests about pages behind sign-in; the sign-in journeys themselves are tested
    through the real forms.
    """
    from django.conf import settings

    from layanan.core.testing import verified_client

    def sign_in(page: Any, user: Any) -> None:
        client = verified_client(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in
