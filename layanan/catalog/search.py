"""Catalog search: which services match what a citizen typed, best first.

Design (details and measurements: ``docs/catalog-search.md``):

* **Analysis once, in Python.** Each service's text is analysed by the shared Indonesian text
  module (``layanan.core.text``: colloquial forms, abbreviations, stopwords, Sastrawi stems) and
  stored as a ``SearchDocument`` row: space-separated terms per field (name + other names,
  summary, requirements + products, context = agency, unit and life events), the distinct terms
  of all fields, and the words before stemming (for typo correction).
* **Candidates from the database's full-text index.** The distinct terms are indexed by FTS5 on
  SQLite and, on PostgreSQL, by a GIN index on the generated column ``terms_tsvector`` =
  ``array_to_tsvector(string_to_array(terms, ' '))`` (migration 0003). A query's terms are
  OR-ed; the same SQL statement applies the filters (published service, unit and agency;
  agency slug; life event). Both databases match the same pre-analysed terms, so they return
  the same candidate set. For a query whose terms are in many documents (more than
  ``FULL_TEXT_MAX_MATCHES`` by the in-memory document frequencies), shipping every matching id
  out of the database costs more than ranking in memory: then the in-memory index ranks all
  documents and the database only says which of the best ones are allowed. Both ways give the
  very same list (the tests run every query both ways).
* **Ranking in Python.** The candidates are ranked with the shared ``FieldedBM25`` (weights
  ``FIELD_WEIGHTS``: a match in the name outranks one in the summary, which outranks one in the
  requirements) built from the stored terms of all documents, ties broken by service id. The
  order therefore never depends on the database.
* **Freshness across processes.** ``invalidate_search_index`` (called by the catalog actions on
  commit) only counts a change in the ``SearchIndexState`` row. The next search sees
  ``changes > synced_changes`` and syncs: it re-analyses the services whose source text changed
  (by hash), deletes documents of deleted services, and stores a new ``token``. Every process
  keeps its ``FieldedBM25`` in memory with the token it was built for and rebuilds it when the
  row's token differs: one primary-key read per search. A change of the analyser
  (``layanan.core.text.analyzer_version``) or of ``DOCUMENT_REVISION`` re-analyses everything
  the same way (``index_version``).

Public: ``search_services``, ``invalidate_search_index``, ``sync_search_index``,
``search_terms``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from layanan.catalog.models import SearchDocument, SearchIndexState, Service, ServiceLifeEvent
from layanan.core import text

logger = logging.getLogger(__name__)

FIELD_WEIGHTS: dict[str, float] = {"name": 3.0, "summary": 1.5, "detail": 1.0, "context": 0.5}
# BM25 parameters: names and summaries are short, so length counts less than in prose (b 0.75).
BM25_K1 = 1.5
BM25_B = 0.5
# Bounded work per query: what a citizen types is short; anything longer is cut.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
# Where the candidates come from (same results either way): the database's full-text index
# when the query's terms are in at most this many documents (the sum of their document
# frequencies), else the in-memory index, the database then only saying which services are
# allowed. Measured with 5,000 services: up to ~100 matching documents both ways cost the same;
# above, shipping every matching id out of the database costs up to 2-3x more than ranking all
# documents in memory (docs/catalog-search.md, "Measurements").
FULL_TEXT_MAX_MATCHES = 100
STATE_PK = 1
# Bump when the text that goes into a document (``_sources``) changes: every document is redone.
DOCUMENT_REVISION = 1
_FIELD_COLUMNS = {
    "name": "name_terms",
    "summary": "summary_terms",
    "detail": "detail_terms",
    "context": "context_terms",
}


# --- Documents ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """The raw text of one service, per field, as it is analysed."""

    service_id: int
    name: str
    summary: str
    detail: str
    context: str

    def field_text(self, field_name: str) -> str:
        text_of_field: str = getattr(self, field_name)
        return text_of_field

    @property
    def hash(self) -> str:
        parts = [index_version(), *(self.field_text(name) for name in FIELD_WEIGHTS)]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def index_version() -> str:
    """What the documents were built with: the analyser's version and ``DOCUMENT_REVISION``."""
    return f"{text.analyzer_version()}.{DOCUMENT_REVISION}"


def _names(items: Any, *keys: str) -> list[str]:
    """The non-empty string values of ``keys`` in a JSON list of objects (anything else: none)."""
    if not isinstance(items, list):
        return []
    return [
        item[key]
        for item in items
        if isinstance(item, dict)
        for key in keys
        if isinstance(item.get(key), str) and item[key]
    ]


def _sources(service_ids: Iterable[int] | None = None) -> dict[int, _Source]:
    """The source text of every service (or of ``service_ids``), published or not.

    Whether a service is published is checked when searching, so (de)activating a service, unit
    or agency needs no new document.
    """
    services = Service.objects.all()
    if service_ids is not None:
        services = services.filter(pk__in=list(service_ids))
    rows = services.annotate(
        requirements=KeyTransform("requirements", "adopted_standard__published"),
        products=KeyTransform("products", "adopted_standard__published"),
    ).values_list(
        "pk",
        "name",
        "keywords",
        "summary",
        "requirements",
        "products",
        "unit__name",
        "unit__agency__name",
        "unit__agency__short_name",
    )
    events: dict[int, list[str]] = {}
    life_events = ServiceLifeEvent.objects.order_by("service_id", "event")
    if service_ids is not None:
        life_events = life_events.filter(service_id__in=list(service_ids))
    for service_id, event in life_events.values_list("service_id", "event"):
        events.setdefault(service_id, []).append(event.replace("-", " "))
    sources = {}
    for pk, name, keywords, summary, requirements, products, unit, agency, short_name in rows:
        sources[pk] = _Source(
            service_id=pk,
            name=f"{name}\n{keywords}",
            summary=summary,
            detail="\n".join(_names(requirements, "name") + _names(products, "name", "description")),
            context="\n".join([agency, short_name, unit, *events.get(pk, [])]),
        )
    return sources


def _document(source: _Source) -> SearchDocument:
    field_terms: dict[str, list[str]] = {}
    words: set[str] = set()
    for field_name in FIELD_WEIGHTS:
        field_text = source.field_text(field_name)
        field_terms[field_name] = text.document_terms(field_text)
        words.update(text.spelling_words(field_text))
    distinct = sorted({term for terms in field_terms.values() for term in terms})
    return SearchDocument(
        service_id=source.service_id,
        **{_FIELD_COLUMNS[name]: " ".join(terms) for name, terms in field_terms.items()},
        terms=" ".join(distinct),
        words=" ".join(sorted(words)),
        source_hash=source.hash,
    )


@dataclass(frozen=True)
class SyncResult:
    analysed: int = 0
    removed: int = 0
    skipped: bool = False


def _locked_state(*, wait: bool) -> SearchIndexState | None:
    """The state row, locked for this transaction (PostgreSQL); None if another process holds it."""
    SearchIndexState.objects.get_or_create(pk=STATE_PK)
    return SearchIndexState.objects.select_for_update(skip_locked=not wait).filter(pk=STATE_PK).first()


def sync_search_index(*, full: bool = False) -> SyncResult:
    """Bring the search documents up to date with the catalog.

    Without ``full``: only when a change was signalled (or the analyser changed), re-analysing
    only the services whose source text changed, and skipping if another process is already
    syncing. With ``full`` (``rebuild_search_index``): every document is re-analysed, waiting
    for a running sync to finish.
    """
    version = index_version()
    with transaction.atomic():
        state = _locked_state(wait=full)
        if state is None:
            return SyncResult(skipped=True)
        current = state.token and state.synced_changes >= state.changes and state.analyzer_version == version
        if current and not full:
            return SyncResult(skipped=True)
        seen_changes = state.changes
        sources = _sources()
        existing = dict(SearchDocument.objects.values_list("service_id", "source_hash"))
        changed = [source for pk, source in sources.items() if full or existing.get(pk) != source.hash]
        removed = set(existing) - set(sources)
        if removed:
            SearchDocument.objects.filter(service_id__in=removed).delete()
        if changed:
            SearchDocument.objects.bulk_create(
                [_document(source) for source in changed],
                update_conflicts=True,
                unique_fields=["service"],
                update_fields=[*_FIELD_COLUMNS.values(), "terms", "words", "source_hash"],
                batch_size=500,
            )
        if changed or removed or not state.token or state.analyzer_version != version:
            state.token = uuid.uuid4().hex
        state.synced_changes = seen_changes
        state.analyzer_version = version
        state.synced_at = timezone.now()
        state.save()
    if full and connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows how selective the full-text condition is.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_searchdocument")
    return SyncResult(analysed=len(changed), removed=len(removed))


def invalidate_search_index() -> None:
    """Signal that the catalog changed: the next search brings the documents up to date.

    Cheap (one UPDATE): call it on commit after every catalog change. Works across processes:
    the signal is in the database.
    """
    if not SearchIndexState.objects.filter(pk=STATE_PK).update(changes=F("changes") + 1):
        # A new row says "never synced": the next search syncs.
        SearchIndexState.objects.get_or_create(pk=STATE_PK)


# --- The in-memory ranking index of this process ------------------------------------------------


@dataclass(frozen=True)
class _Index:
    token: str
    bm25: text.FieldedBM25
    service_ids: tuple[int, ...]
    positions: dict[int, int]
    document_frequency: dict[str, int]  # documents that have the term, in any field


_lock = threading.Lock()
_index: _Index | None = None


def _load(token: str) -> _Index:
    rows = SearchDocument.objects.order_by("service_id").values_list(
        "service_id", *_FIELD_COLUMNS.values(), "terms", "words"
    )
    service_ids: list[int] = []
    field_terms: dict[str, list[list[str]]] = {name: [] for name in FIELD_WEIGHTS}
    document_frequency: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for service_id, *columns, distinct_terms, document_words in rows:
        service_ids.append(service_id)
        for field_name, column in zip(FIELD_WEIGHTS, columns, strict=True):
            field_terms[field_name].append(column.split())
        document_frequency.update(distinct_terms.split())
        words.update(document_words.split())
    bm25 = text.FieldedBM25.from_terms(field_terms, FIELD_WEIGHTS, words, k1=BM25_K1, b=BM25_B)
    return _Index(
        token=token,
        bm25=bm25,
        service_ids=tuple(service_ids),
        positions={service_id: position for position, service_id in enumerate(service_ids)},
        document_frequency=dict(document_frequency),
    )


def _state_row() -> tuple[int, int, str, str] | None:
    return (
        SearchIndexState.objects.filter(pk=STATE_PK)
        .values_list("changes", "synced_changes", "token", "analyzer_version")
        .first()
    )


def _current_index() -> _Index:
    """This process's index, synced and reloaded if the database says it is out of date."""
    global _index
    row = _state_row()
    if row is None or not row[2] or row[1] < row[0] or row[3] != index_version():
        try:
            sync_search_index()
        except DatabaseError:
            # Never fail a search because the index could not be refreshed: serve what is there.
            logger.exception("catalog search: sync failed, serving the current documents")
        row = _state_row()
    token = row[2] if row else ""
    with _lock:
        if _index is None or _index.token != token or not token:
            _index = _load(token)
        return _index


def reset_process_cache() -> None:
    """Forget this process's in-memory index (tests use it to play another process)."""
    global _index
    with _lock:
        _index = None


# --- Searching ----------------------------------------------------------------------------------


def _query_terms(index: _Index, query: str) -> list[str]:
    """The distinct known terms of ``query`` (typo-corrected), at most ``MAX_QUERY_TERMS``."""
    known = dict.fromkeys(
        term for term in index.bm25.query_terms(query[:MAX_QUERY_CHARS]) if term in index.bm25.stems
    )
    return list(known)[:MAX_QUERY_TERMS]


def _published_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True, unit__is_active=True, unit__agency__is_active=True)


def _full_text_match(terms: Sequence[str]) -> Q | RawSQL:
    """The database's full-text condition "the document has one of ``terms``"."""
    if connection.vendor == "sqlite":
        match = " OR ".join(f'"{term}"' for term in terms)
        return Q(
            service_id__in=RawSQL(
                "SELECT rowid FROM catalog_searchdocument_fts WHERE catalog_searchdocument_fts MATCH %s",
                (match,),
            )
        )
    tsquery = " | ".join(f"'{term}'" for term in terms)
    return RawSQL(
        '"catalog_searchdocument"."terms_tsvector" @@ %s::tsquery', (tsquery,), output_field=BooleanField()
    )


def _rank_with_full_text_index(
    index: _Index, terms: Sequence[str], *, agency: str, life_event: str, limit: int
) -> list[int]:
    """One SQL statement finds the allowed documents that have a term; rank them in memory."""
    documents: QuerySet[SearchDocument] = SearchDocument.objects.filter(
        service__is_active=True, service__unit__is_active=True, service__unit__agency__is_active=True
    )
    if agency:
        documents = documents.filter(service__unit__agency__slug=agency)
    if life_event:
        documents = documents.filter(service__life_events__event=life_event)
    candidates = documents.filter(_full_text_match(terms)).values_list("service_id", flat=True)
    positions = [index.positions[pk] for pk in candidates if pk in index.positions]
    return [
        index.service_ids[position] for position, _ in index.bm25.rank(terms, limit=limit, among=positions)
    ]


def _rank_in_memory(
    index: _Index, terms: Sequence[str], *, agency: str, life_event: str, limit: int
) -> list[int]:
    """Rank in memory; the database only says which services are allowed.

    With a filter: the ids it allows (no full-text condition), then rank among them. Without:
    walk the ranking in chunks and keep the published services of each chunk until ``limit``.
    """
    if agency or life_event:
        allowed = _published_services()
        if agency:
            allowed = allowed.filter(unit__agency__slug=agency)
        if life_event:
            allowed = allowed.filter(life_events__event=life_event)
        positions = [
            index.positions[pk] for pk in allowed.values_list("pk", flat=True) if pk in index.positions
        ]
        ranked = index.bm25.rank(terms, limit=limit, among=positions)
        return [index.service_ids[position] for position, _ in ranked]
    ranking = [index.service_ids[position] for position, _ in index.bm25.rank(terms, limit=index.bm25.size)]
    found: list[int] = []
    chunk_size = max(2 * limit, 100)
    for start in range(0, len(ranking), chunk_size):
        chunk = ranking[start : start + chunk_size]
        published = set(_published_services().filter(pk__in=chunk).values_list("pk", flat=True))
        found += [pk for pk in chunk if pk in published]
        if len(found) >= limit:
            break
    return found[:limit]


def search_terms(query: str) -> list[str]:
    """The terms ``search_services`` looks for in ``query`` (after typo correction)."""
    return _query_terms(_current_index(), query)


def search_services(query: str, *, agency: str = "", life_event: str = "", limit: int = 20) -> list[int]:
    """Ids of the published services matching ``query``, best first (empty query: no results).

    ``agency`` (an agency slug) and ``life_event`` (a ``Service.LifeEvent`` key) keep only the
    services of that agency or tagged with that life event. Same results on every database, and
    whichever way the candidates are found (see ``FULL_TEXT_MAX_MATCHES``).
    """
    if limit <= 0 or not query.strip():
        return []
    index = _current_index()
    terms = _query_terms(index, query)
    if not terms:
        return []
    matches = min(index.bm25.size, sum(index.document_frequency.get(term, 0) for term in terms))
    if matches <= FULL_TEXT_MAX_MATCHES and connection.vendor in {"sqlite", "postgresql"}:
        return _rank_with_full_text_index(index, terms, agency=agency, life_event=life_event, limit=limit)
    return _rank_in_memory(index, terms, agency=agency, life_event=life_event, limit=limit)
