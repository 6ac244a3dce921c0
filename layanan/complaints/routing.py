"""The routing assistant: which agency (and category) should handle a report. Pure: no ORM.

Built on the one Indonesian text module (``layanan.core.text``): normalisation, colloquial forms,
Sastrawi stemming, typo correction and ``FieldedBM25``. ``layanan.complaints.routing_store`` feeds
it from the database; ``layanan evaluate_routing`` measures it (docs/complaints-routing.md).

**Input.** ``AgencyProfile`` (slug, name, declared duties, region code, the categories it handles:
when none are given they are inferred from the duties), ``CategoryProfile`` (slug, name, keywords),
and ``Learned``: what coordinators decided on past reports, aggregated.

**Learning is aggregated.** A confirmed disposition adds its report's distinct terms to the counts
of its agency and of its category, and one to the (agency, category) pair count. Only those
counts are kept, so the model's size is bounded by agencies x categories x vocabulary, not by the
number of reports, and a new disposition is folded in without redoing the others. Privacy: terms
with a digit (NIK, phone or house numbers) are never learned, and a term enters an agency's or a
category's learned text only once it occurs in ``MIN_LEARNED_REPORTS`` different reports of it, so
one report's names and details do not leak into suggestions.

**Scoring.** Two small fielded BM25 indexes: one document per agency (fields ``name``,
``duties``, ``topics`` = keywords of the categories it handles, ``learned``) and one per category
(``name``, ``keywords``, ``learned``). The ``learned`` field is a bounded synthetic document: the
``LEARNED_TERMS`` most frequent terms, each repeated ``1 + log2(reports)`` times. The query is the
title and text after this module's complaint vocabulary (``COMPLAINT_WORDS``: "jln", "gk",
"bolong", Javanese "ora", agency nicknames) and the text module's analysis. Then:

* agency logit ``z_a = BM25_a / (AGENCY_TEMPERATURE * sqrt(n))`` (``n`` = the query's known terms:
  long texts do not become over-confident just by being long), plus the category evidence
  ``CATEGORY_EVIDENCE_WEIGHT * log sum_c P(c | query) P(a | c)`` (``P(a | c)`` from the affinity
  below: the text looks like "water", and water is what the PDAM handles), plus the region prior;
* **region prior**: an agency whose region contains the report's region (its code is a prefix of
  it, e.g. a regency agency ``33.02`` for a village ``33.02.05.2003``) gets
  ``REGION_LEVEL_BONUS`` per level of its region (the regency agency beats the provincial or
  national one with the same duties); one whose region is elsewhere (another regency) gets
  ``OUTSIDE_REGION_PENALTY``; without a report region, or when the report's region is coarser
  than the agency's, nothing;
* agency **confidence** = softmax of the logits over the active agencies: a probability, summing to
  1 over all agencies. The temperature was fitted on the evaluation set's *train* split (the
  lowest log-loss), so that among suggestions with confidence >= X, roughly at least X are right
  (``layanan evaluate_routing`` prints the table; docs/complaints-routing.md);
* category of a suggested agency: ``P(c | a, query)`` proportional to
  ``exp(BM25_c / (CATEGORY_TEMPERATURE * sqrt(n))) * affinity(a, c)``, where ``affinity`` counts the
  confirmed dispositions of the pair plus ``DECLARED_PSEUDO_COUNT`` for a category the agency
  declares (or whose keywords its duties match) and ``UNDECLARED_PSEUDO_COUNT`` for the others.

``suggest`` ranks the agencies; each suggestion carries its best category and both confidences.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from layanan.core import text

# Bump when what a text contributes changes (the vocabulary below, the learned-document recipe).
ROUTING_REVISION = 1
# A report longer than this is cut: the first lines carry the topic, and the cost stays bounded.
MAX_QUERY_CHARS = 1500
MAX_QUERY_TERMS = 60
# A learned term must occur in this many reports of an agency (or category) to be used.
MIN_LEARNED_REPORTS = 2
# At most this many learned terms per agency or category document.
LEARNED_TERMS = 300
BM25_K1 = 1.2
BM25_B = 0.5
AGENCY_FIELDS: dict[str, float] = {"name": 2.0, "duties": 1.0, "topics": 1.0, "learned": 1.0}
CATEGORY_FIELDS: dict[str, float] = {"name": 2.0, "keywords": 1.0, "learned": 1.0}
# Fitted on the train split of the evaluation set (see the module docstring).
AGENCY_TEMPERATURE = 0.7
CATEGORY_TEMPERATURE = 0.5
REGION_LEVEL_BONUS = 0.25
OUTSIDE_REGION_PENALTY = -4.0
DECLARED_PSEUDO_COUNT = 5.0
UNDECLARED_PSEUDO_COUNT = 0.1
# Inferred categories of an agency without declared ones: those scoring at least this share of
# the best category's score when its duties are the query, at most ``INFERRED_CATEGORIES``.
INFERRED_SHARE = 0.5
INFERRED_CATEGORIES = 3
FALLBACK_CATEGORY = "lainnya"
# Weight of the category evidence in an agency's logit (see the module docstring).
CATEGORY_EVIDENCE_WEIGHT = 0.5
# Stems of the boilerplate of declared duties and agency names (and place names every agency of
# a regency shares): they say nothing about which agency a report is for.
BOILERPLATE_TERMS = frozenset(
    {
        "laksana",
        "urus",
        "perintah",
        "bidang",
        "tugas",
        "fungsi",
        "sebagian",
        "termasuk",
        "selenggara",
        "milik",
        "badan",
        "persero",
        "pt",
        "unit",
        "kelas",
        "ii",
        "tpi",
        "kabupaten",
        "kota",
        "provinsi",
        "jawa",
        "tengah",
        "banyumas",
        "purwokerto",
    }
)

# Complaint vocabulary the text module does not know (yet): short forms of chat and SMS, words
# of the street, Javanese (Banyumasan) words, and the nicknames of agencies. Applied to the
# written words before the text module's analysis; a value may be several words.
COMPLAINT_WORDS: Mapping[str, str] = {
    # short forms
    "jln": "jalan",
    "jl": "jalan",
    "jalanan": "jalan",
    "gk": "tidak",
    "ndak": "tidak",
    "nda": "tidak",
    "tdak": "tidak",
    "bnyk": "banyak",
    "byk": "banyak",
    "tlg": "tolong",
    "tolongin": "tolong",
    "dpn": "depan",
    "blkg": "belakang",
    "kmrn": "kemarin",
    "skrg": "sekarang",
    "skg": "sekarang",
    "bgt": "banget",
    "jg": "juga",
    "sm": "sama",
    "dr": "dari",
    "dlm": "dalam",
    "lg": "lagi",
    "aja": "saja",
    "hrs": "harus",
    "org": "orang",
    "pdhl": "padahal",
    "msh": "masih",
    "trs": "terus",
    "klo": "kalau",
    "kl": "kalau",
    "kalo": "kalau",
    "sampe": "sampai",
    "bln": "bulan",
    "thn": "tahun",
    "tgl": "tanggal",
    "mgg": "minggu",
    "pk": "bapak",
    "bpk": "bapak",
    "sy": "saya",
    "sya": "saya",
    "gw": "saya",
    "gue": "saya",
    "kpd": "kepada",
    "dg": "dengan",
    "pemkab": "pemerintah kabupaten",
    "pemda": "pemerintah daerah",
    # words of the street
    "benerin": "perbaiki",
    "dibenerin": "perbaiki",
    "dibenahi": "perbaiki",
    "betulin": "perbaiki",
    "dibetulin": "perbaiki",
    "dibetulkan": "perbaiki",
    "bolong": "lubang",
    "bolongan": "lubang",
    "berlubang": "lubang",
    "ambrol": "runtuh",
    "ambles": "amblas",
    "jebol": "rusak",
    "mampet": "sumbat",
    "mampat": "sumbat",
    "butek": "keruh",
    "item": "hitam",
    "got": "selokan",
    "gorong": "gorong",
    "ledeng": "air pdam",
    "kran": "keran",
    "kobokan": "genangan",
    "nyampah": "buang sampah",
    "mabok": "mabuk",
    "mabokan": "mabuk",
    "ciu": "miras",
    "trek": "balap",
    "trekan": "balap",
    "brong": "knalpot bising",
    "jukir": "juru parkir",
    "pkl": "pedagang kaki lima",
    "lapak": "pedagang",
    "ojol": "ojek",
    "bangjo": "lampu lalu lintas",
    "njeglek": "listrik padam",
    "byarpet": "listrik padam",
    "nyogok": "suap",
    "sogok": "suap",
    "sogokan": "suap",
    "pelicin": "suap",
    "amplop": "suap",
    "nakes": "tenaga kesehatan",
    "rs": "rumah sakit",
    "igd": "gawat darurat",
    "ugd": "gawat darurat",
    "kepsek": "kepala sekolah",
    "kades": "kepala desa",
    "pemdes": "pemerintah desa",
    "sekdes": "sekretaris desa",
    "perdes": "perangkat desa",
    "kadus": "kepala dusun",
    "ortu": "orangtua",
    "thr": "tunjangan hari raya gaji",
    "phk": "pemutusan hubungan kerja",
    "bpjstk": "bpjs ketenagakerjaan",
    "jamsostek": "bpjs ketenagakerjaan",
    "blanko": "blangko",
    "ektp": "ktp",
    "pkh": "bantuan sosial pkh",
    "bpnt": "bantuan sosial bpnt",
    "blt": "bantuan sosial blt",
    # Javanese (Banyumasan) words
    "ora": "tidak",
    "ra": "tidak",
    "mboten": "tidak",
    "wis": "sudah",
    "uwis": "sudah",
    "sampun": "sudah",
    "durung": "belum",
    "dereng": "belum",
    "banyu": "air",
    "dalan": "jalan",
    "kretek": "jembatan",
    "wong": "orang",
    "uwong": "orang",
    "nyong": "saya",
    "inyong": "saya",
    "piye": "bagaimana",
    "kepriwe": "bagaimana",
    "kepriben": "bagaimana",
    "mambu": "bau",
    "reged": "kotor",
    "larang": "mahal",
    "suwe": "lama",
    # agency nicknames
    "capil": "kependudukan pencatatan sipil",
    "dukcapil": "kependudukan pencatatan sipil",
    "disdukcapil": "kependudukan pencatatan sipil",
    "dishub": "perhubungan",
    "dinhub": "perhubungan",
    "dlh": "lingkungan hidup",
    "dinkes": "dinas kesehatan",
    "dindik": "pendidikan",
    "disdik": "pendidikan",
    "satpol": "satuan polisi pamong praja",
    "satpolpp": "satuan polisi pamong praja",
    "polsek": "kepolisian",
    "polres": "kepolisian",
    "polresta": "kepolisian",
    "dinsos": "dinas sosial",
    "disnaker": "tenaga kerja",
    "dinnaker": "tenaga kerja",
    "kemenag": "kementerian agama",
    "dpu": "pekerjaan umum",
    "pupr": "pekerjaan umum",
    "pu": "pekerjaan umum",
    "dpmptsp": "perizinan terpadu satu pintu",
    "ptsp": "perizinan terpadu satu pintu",
    "perumda": "pdam",
    # Sastrawi stems "perjalanan" (travel) to "jalan" (road)
    "perjalanan": "pergi",
}
COMPLAINT_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bmati\s+lampu\b", "listrik padam"),
    (r"\blistrik\s+mati\b", "listrik padam"),
    (r"\blampu\s+merah\b", "lampu lalu lintas"),
    (r"\bsatpol\s+pp\b", "satuan polisi pamong praja"),
    (r"\bpolisi\s+pamong\b", "polisi pamong praja"),
    (r"\bair\s+mati\b", "air pdam mati"),
    (r"\buang\s+rokok\b", "pungutan liar"),
    (r"\buang\s+(?:pelicin|terima\s+kasih)\b", "pungutan liar"),
    (r"\bpungutan\s+liar\b", "pungli"),
    (r"\bpak\s+rt\b", "rt"),
)
_COMPILED_COMPLAINT_PHRASES = tuple((re.compile(pattern), repl) for pattern, repl in COMPLAINT_PHRASES)
# "anak2", "jalan2": the reduplication marker glued to the word.
_REDUPLICATION = re.compile(r"\b([a-z]{3,})2\b")


def routing_version() -> str:
    """What a learned snapshot was built with: the text module's analyser and this vocabulary."""
    parts = [
        text.analyzer_version(),
        repr(sorted(COMPLAINT_WORDS.items())),
        repr(COMPLAINT_PHRASES),
        str(ROUTING_REVISION),
        str(MIN_LEARNED_REPORTS),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def complaint_text(value: str) -> str:
    """``value`` in plain words with this module's complaint vocabulary applied."""
    plain = " ".join(text.plain_words(value))
    plain = _REDUPLICATION.sub(r"\1", plain)
    for pattern, replacement in _COMPILED_COMPLAINT_PHRASES:
        plain = pattern.sub(replacement, plain)
    return " ".join(COMPLAINT_WORDS.get(word, word) for word in plain.split())


def _document_terms(value: str) -> list[str]:
    return [term for term in text.document_terms(complaint_text(value)) if term not in BOILERPLATE_TERMS]


def report_terms(title: str, body: str) -> list[tuple[str, str]]:
    """The (word, term) pairs of a report, as learned: no term with a digit."""
    analysed = text.analyze(complaint_text(f"{title}\n{body}"[: MAX_QUERY_CHARS * 2]))
    return [(word, term) for word, term in analysed if term.isalpha() and term not in BOILERPLATE_TERMS]


# --- Profiles and learned counts ------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryProfile:
    slug: str
    name: str
    keywords: str = ""
    description: str = ""


@dataclass(frozen=True)
class AgencyProfile:
    slug: str
    name: str
    duties: str = ""
    region_code: str = ""
    short_name: str = ""
    # Slugs of the categories it handles; empty: inferred from the duties.
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    """A past report with the agency and category a coordinator confirmed."""

    title: str
    text: str
    agency_slug: str
    category_slug: str


@dataclass
class Learned:
    """What confirmed dispositions taught, aggregated (see the module docstring).

    ``agency_terms[agency][term]`` and ``category_terms[category][term]``: the number of reports
    with that term; ``words[word]``: reports with that written word (the typo corrector's
    vocabulary); ``pairs["agency|category"]``: confirmed dispositions of the pair.
    """

    agency_terms: dict[str, Counter[str]] = field(default_factory=dict)
    category_terms: dict[str, Counter[str]] = field(default_factory=dict)
    words: Counter[str] = field(default_factory=Counter)
    pairs: Counter[str] = field(default_factory=Counter)
    reports: int = 0

    def add(self, title: str, body: str, agency_slug: str, category_slug: str) -> None:
        pairs = report_terms(title, body)
        distinct_terms = {term for _word, term in pairs}
        self.agency_terms.setdefault(agency_slug, Counter()).update(distinct_terms)
        self.category_terms.setdefault(category_slug, Counter()).update(distinct_terms)
        self.words.update({word for word, _term in pairs})
        self.pairs[f"{agency_slug}|{category_slug}"] += 1
        self.reports += 1

    def add_examples(self, examples: Iterable[Example]) -> None:
        for example in examples:
            self.add(example.title, example.text, example.agency_slug, example.category_slug)

    def pair_count(self, agency_slug: str, category_slug: str) -> int:
        return self.pairs.get(f"{agency_slug}|{category_slug}", 0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able snapshot (counts below ``MIN_LEARNED_REPORTS`` are kept: they may grow)."""
        return {
            "agency_terms": {slug: dict(counts) for slug, counts in sorted(self.agency_terms.items())},
            "category_terms": {slug: dict(counts) for slug, counts in sorted(self.category_terms.items())},
            "words": dict(self.words),
            "pairs": dict(self.pairs),
            "reports": self.reports,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Learned:
        return cls(
            agency_terms={slug: Counter(counts) for slug, counts in data.get("agency_terms", {}).items()},
            category_terms={slug: Counter(counts) for slug, counts in data.get("category_terms", {}).items()},
            words=Counter(data.get("words", {})),
            pairs=Counter(data.get("pairs", {})),
            reports=int(data.get("reports", 0)),
        )


def _learned_document(counts: Counter[str] | None) -> list[str]:
    """The bounded synthetic document of learned terms (see the module docstring)."""
    if not counts:
        return []
    frequent = [(term, n) for term, n in counts.most_common() if n >= MIN_LEARNED_REPORTS]
    document: list[str] = []
    for term, n in frequent[:LEARNED_TERMS]:
        document.extend([term] * (1 + int(math.log2(n))))
    return document


# --- Region ---------------------------------------------------------------------------------------


def _contains(outer: str, inner: str) -> bool:
    """Whether region code ``outer`` contains ``inner`` (whole dotted segments)."""
    return inner == outer or inner.startswith(outer + ".")


def region_prior(agency_region: str, report_region: str) -> float:
    """The region term of an agency's logit (see the module docstring)."""
    if not report_region or not agency_region:
        return 0.0
    if _contains(agency_region, report_region):
        return REGION_LEVEL_BONUS * (agency_region.count(".") + 1)
    if _contains(report_region, agency_region):
        return 0.0  # the report only says "somewhere in this province": cannot tell
    return OUTSIDE_REGION_PENALTY


# --- The model ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    agency_slug: str
    category_slug: str
    score: float  # the agency's BM25 score (for ordering and debugging; not comparable across queries)
    confidence: float  # P(agency | report), 0..1, summing to 1 over all agencies
    category_confidence: float  # P(category | agency, report), 0..1
    # The agency's categories, most likely first (the first is ``category_slug``), at most 3.
    categories: tuple[str, ...] = ()


def _softmax(logits: np.ndarray) -> np.ndarray:
    if logits.size == 0:
        return logits
    shifted = np.exp(logits - logits.max())
    total: np.ndarray = shifted / shifted.sum()
    return total


class RoutingModel:
    """The ranking of agencies and categories for a report's text and region."""

    def __init__(
        self,
        agencies: Sequence[AgencyProfile],
        categories: Sequence[CategoryProfile],
        learned: Learned | None = None,
    ) -> None:
        self.learned = learned or Learned()
        self.agencies = tuple(sorted(agencies, key=lambda agency: agency.slug))
        self.categories = tuple(sorted(categories, key=lambda category: category.slug))
        self.category_positions = {category.slug: i for i, category in enumerate(self.categories)}
        words: Counter[str] = Counter()
        category_fields: dict[str, list[list[str]]] = {name: [] for name in CATEGORY_FIELDS}
        for category in self.categories:
            category_fields["name"].append(_document_terms(category.name))
            keywords = f"{category.keywords}\n{category.description}"
            category_fields["keywords"].append(_document_terms(keywords))
            category_fields["learned"].append(
                _learned_document(self.learned.category_terms.get(category.slug))
            )
            words.update(text.spelling_words(f"{category.name}\n{keywords}"))
        self.category_index = text.FieldedBM25.from_terms(
            category_fields, CATEGORY_FIELDS, Counter(), k1=BM25_K1, b=BM25_B
        )
        self.declared = {agency.slug: self._declared_categories(agency) for agency in self.agencies}
        agency_fields: dict[str, list[list[str]]] = {name: [] for name in AGENCY_FIELDS}
        for agency in self.agencies:
            agency_fields["name"].append(_document_terms(f"{agency.name}\n{agency.short_name}"))
            agency_fields["duties"].append(_document_terms(agency.duties))
            topics = " ".join(
                f"{category.name} {category.keywords}"
                for category in self.categories
                if category.slug in self.declared[agency.slug]
            )
            agency_fields["topics"].append(_document_terms(topics))
            agency_fields["learned"].append(_learned_document(self.learned.agency_terms.get(agency.slug)))
            words.update(text.spelling_words(f"{agency.name}\n{agency.short_name}\n{agency.duties}"))
        words.update({word: n for word, n in self.learned.words.items() if n >= MIN_LEARNED_REPORTS})
        self.agency_index = text.FieldedBM25.from_terms(
            agency_fields, AGENCY_FIELDS, words, k1=BM25_K1, b=BM25_B
        )
        # The corrector knows every indexed word; both indexes share the query's terms.
        self.stems = self.agency_index.stems | self.category_index.stems
        self.affinity = self._affinity()

    def _declared_categories(self, agency: AgencyProfile) -> frozenset[str]:
        known = {slug for slug in agency.categories if slug in self.category_positions}
        if known:
            return frozenset(known)
        query = text.terms(complaint_text(f"{agency.name}\n{agency.duties}"))
        scores = self.category_index.scores(list(dict.fromkeys(query)))
        if scores.size == 0 or scores.max() <= 0:
            return frozenset({FALLBACK_CATEGORY} & set(self.category_positions))
        best = float(scores.max())
        ranked = sorted(range(len(self.categories)), key=lambda i: -scores[i])
        chosen = [i for i in ranked[:INFERRED_CATEGORIES] if scores[i] >= INFERRED_SHARE * best]
        return frozenset(self.categories[i].slug for i in chosen)

    def _affinity(self) -> np.ndarray:
        """log affinity(agency, category), one row per agency (see the module docstring)."""
        matrix = np.full((len(self.agencies), len(self.categories)), UNDECLARED_PSEUDO_COUNT)
        for row, agency in enumerate(self.agencies):
            for column, category in enumerate(self.categories):
                if category.slug in self.declared[agency.slug]:
                    matrix[row, column] = DECLARED_PSEUDO_COUNT
                matrix[row, column] += self.learned.pair_count(agency.slug, category.slug)
        self.agency_given_category = matrix / matrix.sum(axis=0, keepdims=True) if matrix.size else matrix
        return np.log(matrix / matrix.sum(axis=1, keepdims=True)) if matrix.size else matrix

    @property
    def size(self) -> int:
        """Documents in the indexes (agencies + categories): bounded, whatever was learned."""
        return len(self.agencies) + len(self.categories)

    def query_terms(self, title: str, body: str) -> list[str]:
        """The distinct known terms of a report (typo-corrected), at most ``MAX_QUERY_TERMS``."""
        query = complaint_text(f"{title}\n{body}"[:MAX_QUERY_CHARS])
        found = dict.fromkeys(
            term
            for term in self.agency_index.query_terms(query)
            if term in self.stems and term not in BOILERPLATE_TERMS
        )
        return list(found)[:MAX_QUERY_TERMS]

    def suggest(self, title: str, body: str, region_code: str = "", *, limit: int = 5) -> list[Suggestion]:
        """The agencies best placed to handle the report, best first (see the module docstring)."""
        if limit <= 0 or not self.agencies:
            return []
        terms = self.query_terms(title, body)
        scale = math.sqrt(max(len(terms), 1))
        agency_scores = self.agency_index.scores(terms)
        category_scores = self.category_index.scores(terms)
        category_logits = category_scores / (CATEGORY_TEMPERATURE * scale)
        logits = agency_scores / (AGENCY_TEMPERATURE * scale)
        if self.categories:
            # P(agency | category), weighted by how much the text looks like each category.
            by_category = self.agency_given_category @ _softmax(category_logits)
            logits = logits + CATEGORY_EVIDENCE_WEIGHT * np.log(by_category)
        regions = [region_prior(agency.region_code, region_code) for agency in self.agencies]
        logits = logits + np.array(regions)
        confidences = _softmax(logits)
        order = sorted(range(len(self.agencies)), key=lambda i: (-confidences[i], self.agencies[i].slug))
        suggestions = []
        for row in order[:limit]:
            category_confidences = _softmax(category_logits + self.affinity[row])
            ranked = sorted(range(len(self.categories)), key=lambda i: (-category_confidences[i], i))[:3]
            best = ranked[0] if ranked else -1
            suggestions.append(
                Suggestion(
                    agency_slug=self.agencies[row].slug,
                    category_slug=self.categories[best].slug if best >= 0 else "",
                    score=round(float(agency_scores[row]), 4),
                    confidence=round(float(confidences[row]), 4),
                    category_confidence=round(float(category_confidences[best]), 4) if best >= 0 else 0.0,
                    categories=tuple(self.categories[i].slug for i in ranked),
                )
            )
        return suggestions
