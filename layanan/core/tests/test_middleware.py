from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from layanan.core.middleware import RequestIdMiddleware
from layanan.core.requestcontext import current_request_id

GENERATED = re.compile(r"[0-9a-f]{32}")


def _seen_by_the_view(header: str | None) -> tuple[str, str, HttpResponse]:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["attribute"] = request.request_id  # type: ignore[attr-defined]
        seen["context"] = current_request_id.get()
        return HttpResponse("ok")

    headers = {} if header is None else {"X-Request-ID": header}
    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers))
    return seen["attribute"], seen["context"], response


@pytest.mark.parametrize("incoming", ["abc12345", "req.2026-01-05_00042", "a" * 64])
def test_a_well_formed_request_id_is_kept_and_echoed(incoming: str) -> None:
    attribute, context, response = _seen_by_the_view(incoming)

    assert attribute == context == response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming", [None, "", "short", "a" * 65, "has space 123", "<script>alert(1)</script>", "ä" * 10]
)
def test_a_missing_or_malformed_request_id_is_replaced(incoming: str | None) -> None:
    attribute, context, response = _seen_by_the_view(incoming)

    assert GENERATED.fullmatch(attribute)
    assert attribute == context == response["X-Request-ID"]


def test_the_request_id_does_not_leak_past_the_request() -> None:
    _seen_by_the_view("abc12345")

    assert current_request_id.get() == "-"


@pytest.mark.django_db
def test_every_page_answers_with_a_request_id(client: Client) -> None:
    response = client.get("/", headers={"X-Request-ID": "proxy-0001"})

    assert response["X-Request-ID"] == "proxy-0001"
