"""Duplicate hints at intake: open public reports that look like the one being written.

Before a citizen sends a report, the check page shows up to ``LIMIT`` similar reports of the same
category in the same regency (or city), so they can support an existing report instead of filing
a second one. Two parts:

* ``candidates_for``: one indexed query (``cmp_category_region``'s columns plus the regency code)
  for the most recent ``CANDIDATES`` open reports that the public may see (verified, not
  confidential, not the protected channel). Only what the public pages show is read.
* ``similar_reports``: pure ranking, no ORM. The candidates' titles and stories are indexed with
  the Indonesian text module (``FieldedBM25``: normalisation, colloquial forms, stemming, typo
  tolerance), the new report's title and story are the query. BM25 orders the candidates; a
  candidate is a hint only when it shares enough of the distinctive terms (``MIN_SHARED_TERMS``
  and ``MIN_OVERLAP`` of the smaller term set), so two unrelated reports about "jalan" are not
  called duplicates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintKind
from layanan.core.text import FieldedBM25, terms

LIMIT = 3
CANDIDATES = 200
MIN_SHARED_TERMS = 2
MIN_OVERLAP = 0.3
WEIGHTS = {"title": 2.0, "body": 1.0}


@dataclass(frozen=True)
class Candidate:
    """An open public report that could be the same as the new one (what the public may see)."""

    reference: str
    title: str
    body: str
    submitted_at: datetime | None = None
    support_count: int = 0
    state: str = ""


@dataclass(frozen=True)
class SimilarReport:
    candidate: Candidate
    score: float
    # Share of the smaller of the two term sets that both reports use (0..1).
    overlap: float


def similar_reports(
    title: str,
    body: str,
    candidates: Sequence[Candidate],
    *,
    limit: int = LIMIT,
    min_shared_terms: int = MIN_SHARED_TERMS,
    min_overlap: float = MIN_OVERLAP,
) -> list[SimilarReport]:
    """The candidates most like the report (``title``, ``body``), best first, at most ``limit``."""
    if not candidates or limit <= 0:
        return []
    index = FieldedBM25([{"title": c.title, "body": c.body} for c in candidates], WEIGHTS, b=0.5)
    query_terms = index.query_terms(f"{title} {body}")
    wanted = set(query_terms)
    if not wanted:
        return []
    found: list[SimilarReport] = []
    for position, score in index.rank(query_terms, limit=len(candidates)):
        candidate = candidates[position]
        own = set(terms(f"{candidate.title} {candidate.body}"))
        shared = len(wanted & own)
        overlap = shared / max(1, min(len(wanted), len(own)))
        if shared >= min_shared_terms and overlap >= min_overlap:
            found.append(SimilarReport(candidate, score, round(overlap, 3)))
        if len(found) >= limit:
            break
    return found


def candidates_for(
    category: ComplaintCategory, regency_code: str, *, limit: int = CANDIDATES
) -> list[Candidate]:
    """The most recent open public reports of ``category`` in the regency (one query)."""
    if category.is_protected or not regency_code:
        return []
    rows = (
        Complaint.objects.filter(
            category=category,
            regency_code=regency_code[:5],
            is_open=True,
            is_confidential=False,
            verified_at__isnull=False,
        )
        .exclude(kind=ComplaintKind.WHISTLEBLOWING)
        .order_by("-submitted_at", "-id")
        .values_list("reference", "title", "body", "submitted_at", "support_count", "state")[:limit]
    )
    return [Candidate(*row) for row in rows]


def find_duplicates(
    *, category: ComplaintCategory, regency_code: str, title: str, body: str, limit: int = LIMIT
) -> list[SimilarReport]:
    """Similar open public reports for a report being written (one query, then ranking)."""
    return similar_reports(title, body, candidates_for(category, regency_code), limit=limit)
