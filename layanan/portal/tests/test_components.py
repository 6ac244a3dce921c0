"""The shared components in layanan/templates/components, rendered on the test-only gallery page."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("layanan.portal.tests.urls")]
GALLERY = "/uji/komponen/"


class _Elements(HTMLParser):
    """Every element's attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def ids(self) -> Counter[str]:
        return Counter(attrs["id"] or "" for _tag, attrs in self.elements if "id" in attrs)

    def first(self, **wanted: str) -> dict[str, str | None]:
        return next(
            attrs for _tag, attrs in self.elements if all(attrs.get(k) == v for k, v in wanted.items())
        )


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _gallery(client: Client, query: str = "", language: str = "id") -> str:
    client.cookies["layanan_language"] = language
    response = client.get(GALLERY + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", ["", "?errors=1"])
def test_gallery_ids_are_unique_and_every_reference_exists(client: Client, query: str) -> None:
    page = _parse(_gallery(client, query))
    ids = page.ids()

    references = [
        (name, target)
        for _tag, attrs in page.elements
        for name in ("aria-describedby", "aria-labelledby", "for")
        for target in (attrs.get(name) or "").split()
    ]

    assert [element_id for element_id, count in ids.items() if count > 1] == []
    assert [ref for ref in references if ref[1] not in ids] == []


def test_field_with_error_is_described_by_its_hint_and_error(client: Client) -> None:
    html = _gallery(client, "?errors=1")

    field = _parse(html).first(name="full_name")

    assert field["aria-describedby"] == "id_full_name_helptext id_full_name_error"
    assert field["aria-invalid"] == "true"
    assert (
        '<p class="error-message" id="id_full_name_error"><span class="visually-hidden">Kesalahan:</span>'
        in html
    )
    assert "<title>Kesalahan: Components — Layanan</title>" in html


def test_radios_are_a_fieldset_the_error_summary_links_to(client: Client) -> None:
    html = _gallery(client, "?errors=1")
    page = _parse(html)

    fieldset = page.first(**{"aria-describedby": "id_channel_helptext id_channel_error"})

    assert fieldset is not None
    assert '<a href="#id_channel_0">' in html
    assert '<a href="#id_documents_0">' in html
    assert page.first(id="id_channel_0")["type"] == "radio"
    assert page.first(id="id_confirmed")["type"] == "checkbox"
    assert 'data-module="error-summary"' in html


def test_summary_list_marks_empty_values_and_names_change_links(client: Client) -> None:
    html = _gallery(client)

    assert '<span class="muted">Tidak diisi</span>' in html
    assert 'Ubah<span class="visually-hidden"> — Full name</span>' in html
    assert 'Add<span class="visually-hidden"> — Phone</span>' in html


def test_table_has_caption_links_tags_and_empty_text(client: Client) -> None:
    html = _gallery(client, language="en")

    assert '<caption id="applications-caption">Your applications</caption>' in html
    assert 'role="region" aria-labelledby="applications-caption" tabindex="0"' in html
    assert '<a href="#ref-1">LYN-2025-000123</a>' in html
    assert '<strong class="tag tag-yellow">Waiting</strong>' in html
    assert "Nothing to show yet." in html


def test_confirmation_panel_shows_the_reference_as_the_page_heading(client: Client) -> None:
    html = _gallery(client, language="en")

    assert re.search(
        r"<h1>Application sent</h1>\s*<div class=\"panel-confirm-body\">Your reference number<br>", html
    )
    assert '<strong class="reference">LYN-2025-000123</strong>' in html
    assert 'data-module="print" hidden>Print this page</button>' in html


def test_pagination_keeps_filters_and_links_both_ways(client: Client) -> None:
    html = _gallery(client, "?q=akta&page=2")

    assert '<a href="?q=akta&amp;page=1" rel="prev">' in html
    assert '<a href="?q=akta&amp;page=3" rel="next">' in html
    assert "Lebih baru" in html
    assert "Lebih lama" in html
    assert "Halaman 2 dari 10" in html


def test_pagination_is_absent_for_a_single_page(rf: RequestFactory) -> None:
    page_obj = Paginator(range(3), 10).get_page(1)

    html = render_to_string("components/pagination.html", {"page_obj": page_obj}, request=rf.get("/"))

    assert html.strip() == ""


def test_breadcrumbs_start_at_home_and_back_link_is_plain(client: Client) -> None:
    html = _gallery(client, language="en")

    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert re.search(r'<li><a href="/">Home</a></li>\s*<li><a href="/instansi/">Agencies</a></li>', html)
    assert '<a class="back-link" href="/">Back</a>' in html


@pytest.mark.parametrize(
    ("kind", "title", "role"), [("", "Important", "region"), ("success", "Success", "alert")]
)
def test_notice_banner_titles_and_roles(rf: RequestFactory, kind: str, title: str, role: str) -> None:
    context = {"kind": kind, "heading": "Closed on Friday"}

    with translation.override("en"):
        html = render_to_string("components/notice_banner.html", context, request=rf.get("/"))

    assert f'role="{role}" aria-labelledby="notice-title"' in html
    assert f'<h2 class="notice-banner-title" id="notice-title">{title}</h2>' in html
