"""The weight budget of a citizen page: on a cheap phone over a slow connection every kilobyte costs.

The CSS and JavaScript the home page links from /static/ must stay under 50 KB gzip-compressed, and
the home page HTML under 14 KB compressed (what fits the first round trip of a new connection).
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

ASSET_BUDGET_BYTES = 50 * 1024
HTML_BUDGET_BYTES = 14 * 1024
# Static imports between modules ("import x from './y.js'") load more files.
_MODULE_IMPORT = re.compile(r"""(?:^|;|\s)import\s(?:[^'"]*?\sfrom\s)?["'](\.{1,2}/[^"']+)["']""")


class _AssetCollector(HTMLParser):
    """Stylesheets, scripts and module preloads linked by a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        if tag == "link" and {"stylesheet", "modulepreload", "preload"} & set(rel):
            self.urls.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"] or "")


def _static_file(url: str) -> Path:
    assert url.startswith(settings.STATIC_URL), f"{url} is not served from {settings.STATIC_URL}"
    found = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert isinstance(found, str), f"{url} is linked but does not exist"
    return Path(found)


def _with_imports(url: str, seen: set[str]) -> set[str]:
    if url in seen:
        return seen
    seen.add(url)
    if url.endswith((".js", ".mjs")):
        for relative in _MODULE_IMPORT.findall(_static_file(url).read_text()):
            target = str(PurePosixPath(url).parent / relative)
            _with_imports(re.sub(r"/(?:\./)+", "/", target), seen)
    return seen


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


@pytest.mark.django_db
def test_home_page_css_and_javascript_stay_under_50_kb_gzip(client: Client) -> None:
    collector = _AssetCollector()
    collector.feed(client.get("/").content.decode())
    urls: set[str] = set()
    for url in collector.urls:
        _with_imports(url, urls)

    total = sum(_gzip_size(_static_file(url).read_bytes()) for url in urls)

    assert any(url.endswith(".css") for url in urls)
    assert any(url.endswith(".js") for url in urls)
    assert total < ASSET_BUDGET_BYTES, f"{total / 1024:.1f} KB gzip for {sorted(urls)}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_home_page_html_stays_small(client: Client, language: str) -> None:
    client.cookies["layanan_language"] = language

    html = client.get("/").content

    assert _gzip_size(html) < HTML_BUDGET_BYTES, f"{_gzip_size(html) / 1024:.1f} KB gzip"
