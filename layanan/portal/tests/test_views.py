from __future__ import annotations

from html.parser import HTMLParser
from types import ModuleType
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path
from pytest_django import Settings

from layanan.urls import urlpatterns as project_urlpatterns


@pytest.mark.django_db
def test_home_page_is_indonesian_by_default(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert '<html lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_sets_cookie_and_returns_to_page(client: Client) -> None:
    response = client.post("/bahasa/", {"language": "en", "next": "/instansi/"})

    assert response.status_code == 302
    assert response["Location"] == "/instansi/"
    assert client.get("/")["Content-Language"] == "en"


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirect(client: Client) -> None:
    response = client.post("/bahasa/", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"


@pytest.mark.django_db
def test_display_switch_toggles_large_text(client: Client) -> None:
    client.post("/tampilan/", {"toggle": "large-text", "next": "/"})

    assert 'class="pref-large-text"' in client.get("/").content.decode()

    client.post("/tampilan/", {"toggle": "large-text", "next": "/"})

    assert "pref-large-text" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_healthz_reports_ok(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_unreachable_database(client: Client) -> None:
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.django_db
def test_unknown_page_gives_translated_404(client: Client) -> None:
    client.cookies["layanan_language"] = "en"

    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def _project_urls_without(namespace: str, *extra: URLPattern | URLResolver) -> ModuleType:
    """The project's URL configuration without one app's URLs (as before that app is built)."""
    urlconf = ModuleType("layanan_portal_test_urls")
    kept = [p for p in project_urlpatterns if getattr(p, "namespace", None) != namespace]
    setattr(urlconf, "urlpatterns", [*extra, *kept])  # noqa: B010 - a module built at run time
    return urlconf


def _holiday_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("holidays")


@pytest.mark.django_db
def test_home_page_links_to_public_holidays_when_that_page_exists(client: Client, settings: Settings) -> None:
    holidays = path("libur-uji/", _holiday_page, name="public-holidays")
    settings.ROOT_URLCONF = _project_urls_without("workdays", path("", include(([holidays], "workdays"))))

    html = client.get("/").content.decode()

    assert 'href="/libur-uji/"' in html


@pytest.mark.django_db
def test_home_page_leaves_out_public_holidays_until_that_page_exists(
    client: Client, settings: Settings
) -> None:
    settings.ROOT_URLCONF = _project_urls_without("workdays")

    response = client.get("/")

    assert response.status_code == 200
    assert "hari-libur" not in response.content.decode()
    assert "Hari libur nasional" not in response.content.decode()


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.links.append(href)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_link_on_home_page_leads_to_a_page(client: Client, language: str) -> None:
    client.cookies["layanan_language"] = language
    collector = _LinkCollector()
    collector.feed(client.get("/").content.decode())

    broken = {link: client.get(link).status_code for link in set(collector.links)}

    assert len(broken) >= 5
    assert {link: status for link, status in broken.items() if status != 200} == {}


@pytest.mark.django_db
def test_home_page_explains_how_it_works(client: Client) -> None:
    html = client.get("/").content.decode()

    assert "<h2>Alur layanan</h2>" in html
    assert html.count("<h3>", html.index("Alur layanan")) == 4


@pytest.mark.django_db
def test_display_switch_toggles_high_contrast_beside_large_text(client: Client) -> None:
    client.post("/tampilan/", {"toggle": "large-text", "next": "/"})
    client.post("/tampilan/", {"toggle": "high-contrast", "next": "/"})

    html = client.get("/").content.decode()

    assert '<html lang="id" class="pref-large-text pref-high-contrast">' in html
    assert html.count('aria-pressed="true"') == 2


@pytest.mark.django_db
def test_display_switch_ignores_unknown_choice(client: Client) -> None:
    response = client.post("/tampilan/", {"toggle": "comic-sans", "next": "/"})

    assert response.cookies["layanan_display"].value == ""
    assert "class=" not in client.get("/").content.decode().split(">", 2)[1]


@pytest.mark.django_db
def test_language_and_display_vary_on_cookie(client: Client) -> None:
    response = client.get("/")

    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_page_loads_the_enhancement_script_as_a_module(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<script type="module" src="/static/js/layanan.js"></script>' in html
    assert "<script>" not in html
    assert "style=" not in html
