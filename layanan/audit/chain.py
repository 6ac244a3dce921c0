"""Pure hash-chain rules of the audit log (no ORM).

An event's hash is SHA-256 over the canonical JSON of its content and the previous event's hash
in the same stream. Changing any stored field of any event, removing an event or re-ordering
events breaks the chain from that point on.

What the chain does and does not prove. The hash is unkeyed, so it detects any change made by
someone who does not recompute the hashes after it (a wrong UPDATE, a restored partial backup, a
DBA editing one row). Someone with write access to the database who rewrites an event *and*
every later hash *and* the stream head is not detected by the chain alone. Against that, keep
the stream heads outside the database: ``layanan audit_verify --heads`` prints them, and
``layanan audit_verify --anchors FILE`` checks that each recorded head is still in the log
unchanged. On PostgreSQL a trigger refuses UPDATE and DELETE of events; the application's
database role should additionally have no TRUNCATE right on the table.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from layanan.core.logging import redact

GENESIS_HASH = "0" * 64
STREAM_COUNT = 16


def stream_for(object_type: str, object_id: str) -> int:
    """Events of one object always land in the same stream, so its history is one chain."""
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % STREAM_COUNT


def event_hash(
    *,
    stream: int,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: dict[str, Any],
    request_id: str,
    previous_hash: str,
) -> str:
    content = {
        "stream": stream,
        "sequence": sequence,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "request_id": request_id,
        "previous_hash": previous_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def canonical_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary exactly as the database will give it back, with personal data redacted.

    The hash is computed before the row is written and checked after it is read back, so both
    must see the same value. Dates, decimals and UUIDs become strings (``DjangoJSONEncoder``),
    and numbers take the form PostgreSQL's ``jsonb`` returns: ``1e+20`` comes back as the integer
    ``100000000000000000000`` and ``-0.0`` as ``0.0``. NaN and infinity are refused.
    """
    text = json.dumps(summary, cls=DjangoJSONEncoder, allow_nan=False, ensure_ascii=False)
    parsed: dict[str, Any] = json.loads(text, parse_float=_jsonb_number)
    return _redact_strings(parsed)  # type: ignore[no-any-return]


def _jsonb_number(text: str) -> float | int:
    if "e+" in text.lower():  # a float of 1e16 or more is a whole number: jsonb prints its digits
        return int(Decimal(text))
    number = float(text)
    return 0.0 if number == 0 else number  # jsonb has no negative zero


def _redact_strings(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_strings(item) for item in value]
    if isinstance(value, dict):
        return {redact(key): _redact_strings(item) for key, item in value.items()}
    return value
