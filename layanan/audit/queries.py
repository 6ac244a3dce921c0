from __future__ import annotations

from dataclasses import dataclass

from layanan.audit.chain import GENESIS_HASH, event_hash
from layanan.audit.models import AuditEvent, AuditStream


@dataclass(frozen=True)
class ChainProblem:
    stream: int
    sequence: int
    kind: str  # "tampered", "missing", "head"
    detail: str

    def __str__(self) -> str:
        return f"stream {self.stream}, event #{self.sequence}: {self.kind} — {self.detail}"


def verify_audit_chain() -> tuple[int, ChainProblem | None]:
    """Walk every stream; return (events checked, first problem or None)."""
    checked = 0
    for stream in AuditStream.objects.order_by("number"):
        expected_sequence = 1
        previous_hash = GENESIS_HASH
        events = AuditEvent.objects.filter(stream=stream.number).order_by("sequence")
        for event in events.iterator(chunk_size=2000):
            if event.sequence != expected_sequence:
                return checked, ChainProblem(
                    stream.number, expected_sequence, "missing", f"next stored event is #{event.sequence}"
                )
            recomputed = event_hash(
                stream=event.stream,
                sequence=event.sequence,
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                summary=event.summary,
                request_id=event.request_id,
                previous_hash=event.previous_hash,
            )
            if event.previous_hash != previous_hash or recomputed != event.hash:
                return checked, ChainProblem(
                    stream.number, event.sequence, "tampered", f"{event.action} on {event.object_type}"
                )
            checked += 1
            previous_hash = event.hash
            expected_sequence += 1
        if stream.last_sequence != expected_sequence - 1 or stream.last_hash != previous_hash:
            return checked, ChainProblem(
                stream.number,
                expected_sequence,
                "missing",
                f"chain head records #{stream.last_sequence}, log ends at #{expected_sequence - 1}",
            )
    return checked, None
