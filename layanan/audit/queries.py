"""Reads of the audit log: chain verification, external anchors, and the viewer's pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Max, Q, QuerySet

from layanan.audit.chain import GENESIS_HASH, STREAM_COUNT, event_hash
from layanan.audit.models import AuditEvent, AuditStream

PAGE_SIZE = 50
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_CURSOR = re.compile(r"(\d{1,20})-(\d{1,20})")


@dataclass(frozen=True)
class ChainProblem:
    stream: int
    sequence: int
    kind: str  # "tampered", "missing", "head", "anchor"
    detail: str

    def __str__(self) -> str:
        return f"stream {self.stream}, event #{self.sequence}: {self.kind} — {self.detail}"


class ChainReport(NamedTuple):
    checked: int
    problem: ChainProblem | None

    @property
    def is_intact(self) -> bool:
        return self.problem is None


def verify_audit_chain() -> ChainReport:
    """Walk every stream; return the number of good events and the first problem, if any.

    Safe while events are being appended: each stream is checked up to the head read at the
    start, and events past the head are accepted only if a head read afterwards covers them (an
    event and its head move commit together, so anything else was written around the chain).
    """
    heads = {head.number: head for head in AuditStream.objects.all()}
    checked = 0
    for number in sorted(set(range(STREAM_COUNT)) | set(heads)):
        head = heads.get(number)
        count, problem = _verify_stream(
            number,
            last_sequence=head.last_sequence if head else 0,
            last_hash=head.last_hash if head else GENESIS_HASH,
        )
        checked += count
        if problem is not None:
            return ChainReport(checked, problem)
    return ChainReport(checked, _events_beyond_heads())


def _verify_stream(number: int, *, last_sequence: int, last_hash: str) -> tuple[int, ChainProblem | None]:
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    events = AuditEvent.objects.filter(stream=number, sequence__lte=last_sequence).order_by("sequence")
    for event in events.iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return expected_sequence - 1, ChainProblem(
                number, expected_sequence, "missing", f"next stored event is #{event.sequence}"
            )
        if event.previous_hash != previous_hash or _recomputed_hash(event) != event.hash:
            return expected_sequence - 1, ChainProblem(
                number, event.sequence, "tampered", f"{event.action} on {event.object_type}"
            )
        previous_hash = event.hash
        expected_sequence += 1
    checked = expected_sequence - 1
    if checked != last_sequence:
        return checked, ChainProblem(
            number, last_sequence, "head", f"chain head records #{last_sequence}, log ends at #{checked}"
        )
    if previous_hash != last_hash:
        return checked, ChainProblem(
            number, last_sequence, "head", f"chain head hash differs from event #{checked}"
        )
    return checked, None


def _events_beyond_heads() -> ChainProblem | None:
    highest = dict(
        AuditEvent.objects.order_by()
        .values_list("stream")
        .annotate(highest=Max("sequence"))
        .values_list("stream", "highest")
    )
    heads = dict(AuditStream.objects.values_list("number", "last_sequence"))
    for number, sequence in sorted(highest.items()):
        if sequence > heads.get(number, 0):
            return ChainProblem(
                number, sequence, "head", f"event is past the chain head #{heads.get(number, 0)}"
            )
    return None


def _recomputed_hash(event: AuditEvent) -> str:
    return event_hash(
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


def stream_heads() -> list[AuditStream]:
    """The head of every stream, to be kept outside the database as an anchor."""
    return list(AuditStream.objects.order_by("number"))


def check_anchors(anchors: Iterable[tuple[int, int, str]]) -> ChainProblem | None:
    """Check heads recorded earlier (``stream, sequence, hash``) are still in the log unchanged.

    This catches a history rewritten with recomputed hashes, which the chain alone cannot.
    """
    wanted = [(stream, sequence, digest) for stream, sequence, digest in anchors if sequence > 0]
    if not wanted:
        return None
    matches = Q()
    for stream, sequence, _digest in wanted:
        matches |= Q(stream=stream, sequence=sequence)
    stored = {
        (stream, sequence): digest
        for stream, sequence, digest in AuditEvent.objects.filter(matches).values_list(
            "stream", "sequence", "hash"
        )
    }
    for stream, sequence, digest in wanted:
        found = stored.get((stream, sequence))
        if found is None:
            return ChainProblem(stream, sequence, "anchor", "anchored event is no longer in the log")
        if found != digest:
            return ChainProblem(stream, sequence, "anchor", "anchored event has a different hash")
    return None


# --- The viewer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    action_prefix: str = ""
    object_type: str = ""
    object_id: str = ""
    actor_label: str = ""
    occurred_from: datetime.datetime | None = None
    occurred_before: datetime.datetime | None = None


@dataclass(frozen=True)
class Cursor:
    """A position in the list, ordered by (occurred_at, id); written ``<microseconds>-<id>``."""

    occurred_at: datetime.datetime
    id: int

    def __str__(self) -> str:
        return f"{(self.occurred_at - _EPOCH) // datetime.timedelta(microseconds=1)}-{self.id}"

    @classmethod
    def parse(cls, value: str) -> Cursor | None:
        match = _CURSOR.fullmatch(value)
        if match is None:
            return None
        try:
            moment = _EPOCH + datetime.timedelta(microseconds=int(match[1]))
        except OverflowError:
            return None
        return cls(moment, int(match[2]))

    @classmethod
    def of(cls, event: AuditEvent) -> Cursor:
        return cls(event.occurred_at, event.pk)


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    older: Cursor | None  # show the events before this one
    newer: Cursor | None  # show the events after this one


def audit_events_page(
    filters: EventFilter, *, older: Cursor | None = None, newer: Cursor | None = None, size: int = PAGE_SIZE
) -> EventPage:
    """One page of events, newest first, by keyset on (occurred_at, id): no OFFSET, no COUNT."""
    events = _filtered_events(filters)
    if newer is not None:
        after = Q(occurred_at__gt=newer.occurred_at) | Q(occurred_at=newer.occurred_at, id__gt=newer.id)
        rows = list(events.filter(after).order_by("occurred_at", "id")[: size + 1])
        if len(rows) > size:
            page = rows[:size][::-1]
            return EventPage(page, older=Cursor.of(page[-1]), newer=Cursor.of(page[0]))
        # Fewer than a page of newer events: the latest page holds them all.
        older = None
    if older is not None:
        events = events.filter(
            Q(occurred_at__lt=older.occurred_at) | Q(occurred_at=older.occurred_at, id__lt=older.id)
        )
    rows = list(events.order_by("-occurred_at", "-id")[: size + 1])
    page = rows[:size]
    return EventPage(
        page,
        older=Cursor.of(page[-1]) if len(rows) > size else None,
        newer=None if older is None else (Cursor.of(page[0]) if page else older),
    )


def _filtered_events(filters: EventFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.action_prefix:
        events = events.filter(action__startswith=filters.action_prefix)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.actor_label:
        events = events.filter(actor_label=filters.actor_label)
    if filters.occurred_from is not None:
        events = events.filter(occurred_at__gte=filters.occurred_from)
    if filters.occurred_before is not None:
        events = events.filter(occurred_at__lt=filters.occurred_before)
    return events


def next_event_in_stream(event: AuditEvent) -> AuditEvent | None:
    return AuditEvent.objects.filter(stream=event.stream, sequence=event.sequence + 1).first()
