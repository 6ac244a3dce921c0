"""NUL characters are refused with 400 before any view or query sees them (PostgreSQL can neither
store nor compare them)."""

from __future__ import annotations

import json

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data", "content_type"),
    [
        ("get", "/layanan/?q=ktp%00", None, None),
        ("post", "/pengaduan/lacak/", {"reference": "ADU\x00", "code": "x"}, None),
        ("post", "/api/v1/complaints", json.dumps({"title": "a\u0000b"}), "application/json"),
        ("post", "/api/v1/complaints", b'{"title": "a\\u0000b"}', "application/json"),
    ],
)
def test_a_nul_character_is_a_400(method: str, path: str, data: object, content_type: str | None) -> None:
    client = Client()
    kwargs = {"content_type": content_type} if content_type else {}
    response = getattr(client, method)(path, data, **kwargs) if data is not None else client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordinary_requests_pass() -> None:
    assert Client().get("/layanan/?q=ktp").status_code == 200
