"""The routing assistant fed from the database: ``suggestions_for`` (see ``routing`` for the model).

What it learns from: the confirmed dispositions (``Disposition.is_accepted``) of reports that are
neither confidential (*rahasia*) nor in the protected channel (*pungli*, or a protected category):
what those reports say must not shape the suggestions anybody can ask for.

**Where the work happens.** Learning is aggregated (``routing.Learned``: term counts per agency,
per category and per pair), so the expensive part is analysing the text of past reports
(~0.4 ms each: 100,000 reports take ~40 s). That never happens in a request:

* ``layanan rebuild_routing_model`` analyses every learnable disposition and writes a snapshot of
  the counts (``LAYANAN_ROUTING_SNAPSHOT``, default ``<LAYANAN_VAR_DIR>/routing/learned.json``,
  written atomically) with the highest disposition id it covers. Run it after an upgrade and on a
  schedule (nightly): it also forgets dispositions that were later refused ("not our authority")
  and applies a changed vocabulary (``routing.routing_version()``).
* Each process keeps its built model. Per call, **one query** reads a version: the highest
  learnable disposition id (an index-only look-up on ``cmp_disposition_learn``) and the count and
  last change of agencies and categories. When a disposition newer than the model exists, the
  process folds in the new ones only (a few per minute in practice; at most ``FOLD_LIMIT`` per
  call); when agencies or categories changed, or the snapshot file was rewritten, the model is
  rebuilt from the counts (milliseconds: the index holds one document per agency and per
  category, however many reports were learned).
* Without a snapshot (a fresh installation), a process learns from the newest
  ``BOOTSTRAP_LIMIT`` learnable dispositions once, and logs a warning to run the command.

Several servers: each keeps its own snapshot file (run the command on each, or share the
directory); they agree up to the dispositions folded in since.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from layanan.accounts.models import Agency
from layanan.complaints import routing
from layanan.complaints.models import ComplaintCategory, ComplaintKind, Disposition

logger = logging.getLogger(__name__)

BOOTSTRAP_LIMIT = 5_000
FOLD_LIMIT = 500
SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class RoutingSuggestion:
    """One ranked agency for a report, with its most likely category."""

    agency_id: int
    agency_slug: str
    agency_name: str
    category_id: int | None
    category_slug: str
    category_name: str
    category_name_en: str
    confidence: float  # P(agency | report): see docs/complaints-routing.md
    category_confidence: float  # P(category | agency, report)
    score: float


# --- What is learned --------------------------------------------------------------------------------


def learnable_dispositions() -> QuerySet[Disposition]:
    """Confirmed dispositions whose report may teach routing (see the module docstring)."""
    return Disposition.objects.filter(is_accepted=True).exclude(
        Q(complaint__is_confidential=True)
        | Q(complaint__kind=ComplaintKind.WHISTLEBLOWING)
        | Q(category__is_protected=True)
    )


def _examples(dispositions: QuerySet[Disposition]) -> Iterator[tuple[int, routing.Example]]:
    rows = dispositions.values_list(
        "id", "complaint__title", "complaint__body", "to_agency__slug", "category__slug"
    )
    for pk, title, body, agency_slug, category_slug in rows.iterator(chunk_size=2000):
        yield (
            pk,
            routing.Example(title=title, text=body, agency_slug=agency_slug, category_slug=category_slug),
        )


def _learn(learned: routing.Learned, dispositions: QuerySet[Disposition]) -> int:
    """Fold ``dispositions`` into ``learned``; the highest id seen (0: none)."""
    highest = 0
    for pk, example in _examples(dispositions):
        learned.add(example.title, example.text, example.agency_slug, example.category_slug)
        highest = max(highest, pk)
    return highest


# --- The snapshot -------------------------------------------------------------------------------------


def snapshot_path() -> Path:
    configured = getattr(settings, "LAYANAN_ROUTING_SNAPSHOT", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "routing" / "learned.json"


@dataclass(frozen=True)
class Snapshot:
    learned: routing.Learned
    watermark: int  # the highest disposition id it covers
    built_at: float


def read_snapshot(path: Path | None = None) -> Snapshot | None:
    """The snapshot, or None if missing, unreadable or built with another vocabulary."""
    path = path or snapshot_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        logger.exception("routing: unreadable snapshot %s, ignored", path)
        return None
    if data.get("format") != SNAPSHOT_FORMAT or data.get("routing_version") != routing.routing_version():
        logger.warning("routing: snapshot %s is from another version: run rebuild_routing_model", path)
        return None
    return Snapshot(
        learned=routing.Learned.from_json(data["learned"]),
        watermark=int(data["watermark"]),
        built_at=float(data.get("built_at", 0)),
    )


@dataclass(frozen=True)
class RebuildResult:
    reports: int
    watermark: int
    seconds: float
    path: Path


def rebuild_snapshot(path: Path | None = None) -> RebuildResult:
    """Learn from every learnable disposition and write the snapshot (``rebuild_routing_model``)."""
    path = path or snapshot_path()
    started = time.monotonic()
    learned = routing.Learned()
    watermark = _learn(learned, learnable_dispositions().order_by("id"))
    data = {
        "format": SNAPSHOT_FORMAT,
        "routing_version": routing.routing_version(),
        "watermark": watermark,
        "built_at": time.time(),
        "learned": learned.to_json(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".learned-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return RebuildResult(
        reports=learned.reports, watermark=watermark, seconds=time.monotonic() - started, path=path
    )


# --- This process's model --------------------------------------------------------------------------


@dataclass
class _Loaded:
    profiles_version: tuple[Any, ...]
    snapshot_mtime: float | None
    watermark: int
    learned: routing.Learned
    model: routing.RoutingModel
    agencies: dict[str, tuple[int, str]]  # slug -> (id, name)
    categories: dict[str, tuple[int, str, str]]  # slug -> (id, name, name_en)


_lock = threading.Lock()
_loaded: _Loaded | None = None


def _version() -> tuple[int, tuple[Any, ...]]:
    """One query: (highest accepted disposition id, the agencies' and categories' version)."""
    quote = connection.ops.quote_name
    dispositions = quote(Disposition._meta.db_table)
    agencies = quote(Agency._meta.db_table)
    categories = quote(ComplaintCategory._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {dispositions} WHERE is_accepted), "  # noqa: S608 (table names)
            f"(SELECT COUNT(*) FROM {agencies}), (SELECT MAX(updated_at) FROM {agencies}), "
            f"(SELECT COUNT(*) FROM {categories}), (SELECT MAX(updated_at) FROM {categories})"
        )
        row = cursor.fetchone()
    return int(row[0] or 0), tuple(str(value) for value in row[1:])


def _snapshot_mtime() -> float | None:
    try:
        return snapshot_path().stat().st_mtime
    except OSError:
        return None


def load_profiles() -> tuple[
    list[routing.AgencyProfile],
    list[routing.CategoryProfile],
    dict[str, tuple[int, str]],
    dict[str, tuple[int, str, str]],
]:
    agency_rows = Agency.objects.filter(is_active=True).values_list(
        "id", "slug", "name", "short_name", "duties", "region_id"
    )
    agencies = [
        routing.AgencyProfile(
            slug=slug, name=name, short_name=short_name, duties=duties, region_code=region or ""
        )
        for _pk, slug, name, short_name, duties, region in agency_rows
    ]
    category_rows = ComplaintCategory.objects.filter(is_active=True).values_list(
        "id", "slug", "name", "name_en", "keywords", "description"
    )
    categories = [
        routing.CategoryProfile(
            slug=slug, name=f"{name}\n{name_en}", keywords=keywords, description=description
        )
        for _pk, slug, name, name_en, keywords, description in category_rows
    ]
    return (
        agencies,
        categories,
        {slug: (pk, name) for pk, slug, name, *_rest in agency_rows},
        {slug: (pk, name, name_en) for pk, slug, name, name_en, *_rest in category_rows},
    )


def _build(
    profiles_version: tuple[Any, ...], snapshot_mtime: float | None, learned: routing.Learned, watermark: int
) -> _Loaded:
    agencies, categories, agency_names, category_names = load_profiles()
    return _Loaded(
        profiles_version=profiles_version,
        snapshot_mtime=snapshot_mtime,
        watermark=watermark,
        learned=learned,
        model=routing.RoutingModel(agencies, categories, learned),
        agencies=agency_names,
        categories=category_names,
    )


def _initial_learning() -> tuple[routing.Learned, int]:
    snapshot = read_snapshot()
    if snapshot is not None:
        return snapshot.learned, snapshot.watermark
    learned = routing.Learned()
    newest = list(learnable_dispositions().order_by("-id").values_list("id", flat=True)[:BOOTSTRAP_LIMIT])
    if not newest:
        return learned, 0
    logger.warning(
        "routing: no snapshot at %s; learning from the newest %d dispositions. Run "
        "`layanan rebuild_routing_model` (and schedule it).",
        snapshot_path(),
        len(newest),
    )
    _learn(learned, learnable_dispositions().filter(id__gte=newest[-1]).order_by("id"))
    return learned, newest[0]


def current_model() -> _Loaded:
    """This process's model, brought up to date with the database (see the module docstring)."""
    global _loaded
    highest, profiles_version = _version()
    mtime = _snapshot_mtime()
    with _lock:
        loaded = _loaded
        if loaded is None or loaded.snapshot_mtime != mtime:
            learned, watermark = _initial_learning()
            loaded = _build(profiles_version, mtime, learned, watermark)
        elif loaded.profiles_version != profiles_version:
            loaded = _build(profiles_version, mtime, loaded.learned, loaded.watermark)
        if highest > loaded.watermark:
            pending = learnable_dispositions().filter(id__gt=loaded.watermark).order_by("id")[:FOLD_LIMIT]
            _learn(loaded.learned, pending)
            # Refused or private dispositions in between are skipped for good: they never teach.
            loaded = _build(profiles_version, mtime, loaded.learned, max(highest, loaded.watermark))
            if learnable_dispositions().filter(id__gt=loaded.watermark).exists():
                logger.warning(
                    "routing: more than %d new dispositions: run rebuild_routing_model", FOLD_LIMIT
                )
        _loaded = loaded
        return loaded


def reset_process_cache() -> None:
    """Forget this process's model (tests use it to play a fresh process)."""
    global _loaded
    with _lock:
        _loaded = None


# --- Suggestions ----------------------------------------------------------------------------------------


def suggestions_for(title: str, text: str, region_code: str, *, limit: int = 5) -> list[RoutingSuggestion]:
    """The agencies best placed to handle a report, best first, with their likely category.

    ``submit_complaint`` stores the first one on the report; the routing-suggestions endpoint
    returns them all.
    """
    if limit <= 0 or not (title.strip() or text.strip()):
        return []
    loaded = current_model()
    suggestions = []
    for suggestion in loaded.model.suggest(title, text, region_code or "", limit=limit):
        agency_id, agency_name = loaded.agencies[suggestion.agency_slug]
        category = loaded.categories.get(suggestion.category_slug)
        suggestions.append(
            RoutingSuggestion(
                agency_id=agency_id,
                agency_slug=suggestion.agency_slug,
                agency_name=agency_name,
                category_id=category[0] if category else None,
                category_slug=suggestion.category_slug,
                category_name=category[1] if category else "",
                category_name_en=category[2] if category else "",
                confidence=suggestion.confidence,
                category_confidence=suggestion.category_confidence,
                score=suggestion.score,
            )
        )
    return suggestions
