"""``POST /api/v1/complaints/routing-suggestions`` (``api_routing``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import path
from ninja import NinjaAPI

from layanan.accounts.tests.factories import ServiceUnitFactory, region
from layanan.complaints import api_routing, routing_store

URL = "/api/v1/complaints/routing-suggestions"

# The router on an API of its own (django-ninja mounts a router on several APIs), so these tests
# do not depend on layanan/api.py.
_test_api = NinjaAPI(urls_namespace="routing-test")
_test_api.add_router("/", api_routing.router)
urlpatterns = [path("api/v1/", _test_api.urls)]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _agencies(tmp_path: Path) -> Iterator[None]:
    with override_settings(LAYANAN_ROUTING_SNAPSHOT=str(tmp_path / "learned.json")):
        routing_store.reset_process_cache()
        for slug, name, duties in (
            ("dlh", "Dinas Lingkungan Hidup", "Pengelolaan sampah, kebersihan, TPS, limbah."),
            ("pupr", "Dinas Pekerjaan Umum", "Pemeliharaan jalan, jembatan, drainase, talud."),
        ):
            ServiceUnitFactory(
                agency__slug=slug, agency__name=name, agency__duties=duties, agency__region=region("33.02")
            )
        yield
        routing_store.reset_process_cache()


def _post(client: Client, body: Any, **extra: Any) -> Any:
    return client.post(URL, body, content_type="application/json", **extra)


def test_anyone_gets_ranked_agencies_with_category_and_confidence(client: Client) -> None:
    response = _post(
        client, {"title": "jln bolong", "text": "jln dpn sd bolong2 gk dibenerin", "region": "33.02.05"}
    )

    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert [s["agency"] for s in suggestions] == ["pupr", "dlh"]
    assert suggestions[0] == {
        "agency": "pupr",
        "agency_name": "Dinas Pekerjaan Umum",
        "category": "infrastruktur",
        "category_name": "Infrastruktur, Jalan dan Jembatan",
        "confidence": suggestions[0]["confidence"],
        "category_confidence": suggestions[0]["category_confidence"],
    }
    assert 0.5 < suggestions[0]["confidence"] <= 1
    assert response["Content-Language"] == "id"


def test_names_follow_the_callers_language(client: Client) -> None:
    response = client.post(
        URL + "?lang=en", {"title": "sampah numpuk", "text": ""}, content_type="application/json"
    )

    assert response.json()["suggestions"][0]["category_name"] == "Environment and waste"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "text": "y", "region": "33.2"}, "region"),
        ({"title": "x" * 201, "text": "y"}, "title"),
        ({"title": "x", "text": "y", "limit": 50}, "limit"),
    ],
)
def test_bad_input_is_a_422_with_a_message_per_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    response = _post(client, body)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert field in response.json()["fields"]


def test_malformed_json_is_a_400(client: Client) -> None:
    response = _post(client, "{not json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_a_bad_token_is_refused_not_treated_as_anonymous(client: Client) -> None:
    response = _post(client, {"title": "sampah", "text": ""}, HTTP_AUTHORIZATION="Bearer lay_nope")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_anonymous_callers_are_rate_limited(client: Client) -> None:
    for _ in range(api_routing.ANONYMOUS_LIMIT):
        assert _post(client, {"title": "sampah", "text": ""}).status_code == 200

    response = _post(client, {"title": "sampah", "text": ""})

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_an_empty_report_gets_no_suggestions(client: Client) -> None:
    response = _post(client, {"title": " ", "text": ""})

    assert response.status_code == 200
    assert response.json() == {"suggestions": []}
