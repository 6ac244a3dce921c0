from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest

from layanan.audit.chain import GENESIS_HASH, STREAM_COUNT, canonical_summary, event_hash, stream_for

MOMENT = datetime.datetime(2026, 1, 5, 8, 30, 0, 123456, tzinfo=datetime.UTC)


def _content(**changes: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "stream": 3,
        "sequence": 7,
        "occurred_at": MOMENT,
        "actor_id": 12,
        "actor_label": "petugas1",
        "action": "applications.application_approved",
        "object_type": "applications.application",
        "object_id": "42",
        "summary": {"status": ["submitted", "approved"]},
        "request_id": "abc12345",
        "previous_hash": GENESIS_HASH,
    }
    content.update(changes)
    return content


def test_event_hash_is_deterministic_sha256() -> None:
    first = event_hash(**_content())

    assert first == event_hash(**_content())
    assert len(first) == 64
    assert int(first, 16) >= 0


@pytest.mark.parametrize(
    "change",
    [
        {"stream": 4},
        {"sequence": 8},
        {"occurred_at": MOMENT + datetime.timedelta(microseconds=1)},
        {"actor_id": 13},
        {"actor_id": None},
        {"actor_label": "petugas2"},
        {"action": "applications.application_rejected"},
        {"object_type": "complaints.complaint"},
        {"object_id": "43"},
        {"summary": {"status": ["submitted", "rejected"]}},
        {"request_id": "abc12346"},
        {"previous_hash": "1" * 64},
    ],
)
def test_every_field_is_covered_by_the_hash(change: dict[str, Any]) -> None:
    assert event_hash(**_content(**change)) != event_hash(**_content())


def test_hash_does_not_depend_on_time_zone_or_key_order() -> None:
    jakarta = MOMENT.astimezone(datetime.timezone(datetime.timedelta(hours=7)))

    assert event_hash(**_content(occurred_at=jakarta)) == event_hash(**_content())
    assert event_hash(**_content(summary={"b": 1, "a": 2})) == event_hash(
        **_content(summary={"a": 2, "b": 1})
    )


def test_events_of_one_object_always_share_a_stream() -> None:
    streams = {stream_for("accounts.user", str(n)) for n in range(500)}

    assert stream_for("accounts.user", "7") == stream_for("accounts.user", "7")
    assert streams == set(range(STREAM_COUNT))


def test_canonical_summary_redacts_personal_data_in_keys_and_values() -> None:
    summary = canonical_summary(
        {
            "changed": ["phone", "nik"],
            "nik": "3273015508900009",
            "note": "call 0812-3456-7890 or write to siti@example.id",
            "nested": [{"kk": "3273 0155 0890 0009"}],
            "siti@example.id": True,
            "masked": "3273********0009",
        }
    )

    assert summary == {
        "changed": ["phone", "nik"],
        "nik": "[NIK/KK]",
        "note": "call [PHONE] or write to [EMAIL]",
        "nested": [{"kk": "[NIK/KK]"}],
        "[EMAIL]": True,
        "masked": "3273********0009",
    }


def test_canonical_summary_gives_json_values_as_the_database_returns_them() -> None:
    token = uuid.UUID("12345678-1234-5678-1234-567812345678")

    summary = canonical_summary(
        {
            "due_on": datetime.date(2026, 2, 1),
            "fee": decimal.Decimal("15000.50"),
            "token": token,
            "pair": ("a", 1),
            "big": 1e20,
            "small": 1e-7,
            "negative_zero": -0.0,
            "ratio": 0.1,
        }
    )

    assert summary == {
        "due_on": "2026-02-01",
        "fee": "15000.50",
        "token": str(token),
        "pair": ["a", 1],
        "big": 100000000000000000000,
        "small": 1e-7,
        "negative_zero": 0.0,
        "ratio": 0.1,
    }
    assert isinstance(summary["big"], int)


def test_canonical_summary_refuses_nan() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_summary({"score": float("nan")})
