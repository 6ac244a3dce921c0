"""The error pages (handler400/403/404/500 and the CSRF failure page) in the visitor's language."""

from __future__ import annotations

from unittest import mock

import pytest
from django.template import loader
from django.test import Client
from django.utils import translation
from pytest_django import Settings

import layanan.urls

ERROR_PAGES = [
    # path, status, English heading, Indonesian heading
    (
        "/uji/400/",
        400,
        "Sorry, we could not understand that request",
        "Maaf, permintaan Anda tidak dapat kami proses",
    ),
    ("/uji/403/", 403, "You do not have access to this page", "Anda tidak memiliki akses ke halaman ini"),
    ("/tidak-ada/", 404, "Page not found", "Halaman tidak ditemukan"),
    ("/uji/500/", 500, "Sorry, there is a problem with the service", "Maaf, ada masalah pada layanan ini"),
]
CSRF_VIEW = "layanan.portal.views.csrf_failure"


def _visitor(language: str, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=enforce_csrf_checks)
    client.cookies["layanan_language"] = language
    return client


def test_project_routes_errors_to_portal_views() -> None:
    assert layanan.urls.handler400 == "layanan.portal.views.error_400"
    assert layanan.urls.handler403 == "layanan.portal.views.error_403"
    assert layanan.urls.handler404 == "layanan.portal.views.error_404"
    assert layanan.urls.handler500 == "layanan.portal.views.error_500"


@pytest.mark.django_db
@pytest.mark.urls("layanan.portal.tests.urls")
@pytest.mark.parametrize(("path", "status", "english", "indonesian"), ERROR_PAGES)
@pytest.mark.parametrize("language", ["id", "en"])
def test_error_page_in_visitor_language(
    language: str, path: str, status: int, english: str, indonesian: str
) -> None:
    response = _visitor(language).get(path)

    html = response.content.decode()
    heading, other = (english, indonesian) if language == "en" else (indonesian, english)
    assert response.status_code == status
    assert response["Content-Language"] == language
    assert f'<html lang="{language}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert other not in html
    assert "/static/css/layanan.css" in html


@pytest.mark.django_db
@pytest.mark.urls("layanan.portal.tests.urls")
def test_error_page_keeps_display_preferences() -> None:
    client = _visitor("id")
    client.cookies["layanan_display"] = "high-contrast.large-text"

    for path in ("/tidak-ada/", "/uji/500/"):
        html = client.get(path).content.decode()

        assert '<html lang="id" class="pref-large-text pref-high-contrast">' in html


@pytest.mark.django_db
@pytest.mark.urls("layanan.portal.tests.urls")
def test_server_error_page_does_not_need_the_database() -> None:
    response = _visitor("en").get("/uji/basis-data/")

    assert response.status_code == 500
    assert "<h1>Sorry, there is a problem with the service</h1>" in response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_server_error_template_renders_without_request_context(language: str) -> None:
    with translation.override(language):
        html = loader.get_template("500.html").render({})

    assert f'<html lang="{language}">' in html
    assert "/static/css/layanan.css" in html
    assert "Layanan" in html


@pytest.mark.django_db
@pytest.mark.urls("layanan.portal.tests.urls")
def test_server_error_falls_back_to_plain_page_when_template_fails() -> None:
    with mock.patch.object(loader, "get_template", side_effect=ValueError("manifest entry missing")):
        response = _visitor("en").get("/uji/500/")

    assert response.status_code == 500
    assert "Maaf, ada masalah pada layanan ini" in response.content.decode()
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "reassurance"),
    [
        ("id", "Formulir sudah kedaluwarsa", "Tidak ada yang terkirim dan tidak ada yang diubah."),
        ("en", "The form has expired", "Nothing was sent and nothing was changed."),
    ],
)
def test_csrf_failure_page_explains_in_visitor_language(
    settings: Settings, language: str, heading: str, reassurance: str
) -> None:
    settings.CSRF_FAILURE_VIEW = CSRF_VIEW
    client = _visitor(language, enforce_csrf_checks=True)

    response = client.post("/tampilan/", {"toggle": "large-text", "next": "/"})

    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert reassurance in html
    assert "layanan_display" not in response.cookies


@pytest.mark.django_db
def test_csrf_failure_page_is_used_before_the_setting_is_added(client: Client) -> None:
    client = _visitor("en", enforce_csrf_checks=True)

    response = client.post("/bahasa/", {"language": "id", "next": "/"})

    assert response.status_code == 403
    assert "<h1>The form has expired</h1>" in response.content.decode()
    assert "layanan_language" not in response.cookies
