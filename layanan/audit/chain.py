"""Pure hash-chain rules of the audit log (no ORM).

An event's hash is SHA-256 over the canonical JSON of its content and the previous event's hash
in the same stream. Changing any stored field of any event, removing an event or re-ordering
events breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import UTC, datetime
from typing import Any

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
