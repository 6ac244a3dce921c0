from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client


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
