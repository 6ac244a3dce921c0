"""The one Indonesian text module: normalisation, colloquial forms, stopwords, stemming, typo
tolerance and fielded BM25 ranking. Catalog search, complaint routing and the virtual assistant
all call it, so a citizen's "bikin akte lahir anak" means the same everywhere.

Pipeline (``terms``):

1. ``normalize``: Unicode NFKC, lower case, multi-word phrases rewritten to one canonical token
   (``kartu kuning`` -> ``ak1``, ``e-KTP`` / ``KTP-el`` -> ``ktp``), punctuation to spaces.
2. ``tokens``: split, then one-word colloquial forms and abbreviations mapped to the standard word
   (``bikin`` -> ``buat``, ``akte`` -> ``akta``, ``imb`` -> ``pbg``, ``gak`` -> ``tidak``).
3. stopwords (Sastrawi's list less words that carry meaning in public services, such as
   ``baru``, ``lama``, ``kerja``, ``masuk``, ``keluar``, ``datang``) are dropped;
4. each word is stemmed with Sastrawi (``pembuatan`` -> ``buat``, ``kelahiran`` -> ``lahir``),
   cached per process.

``SpellingCorrector`` maps an unknown query term to the closest term of an index's vocabulary
(edit distance 1 for short words, 2 for words of 7+ letters), so ``akta kelahrian`` still works.
``FieldedBM25`` scores documents per field (e.g. name, summary, requirements) with BM25 (``bm25s``)
and adds the field scores with weights, so a match in the name outranks one in the summary.

Pure Python: no ORM, no settings; safe to import anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np

# Multi-word phrases first (applied to the normalised text), then one-word forms.
PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bkartu\s+kuning\b", "ak1"),
    (r"\bak\s*[/.-]?\s*1\b", "ak1"),
    (r"\be\s*-?\s*ktp\b", "ktp"),
    (r"\bktp\s*-?\s*el(?:ektronik)?\b", "ktp"),
    (r"\bkartu\s+tanda\s+penduduk(?:\s+elektronik)?\b", "ktp"),
    (r"\bkartu\s+keluarga\b", "kk"),
    (r"\bkartu\s+identitas\s+anak\b", "kia"),
    (r"\bizin\s+mendirikan\s+bangunan\b", "pbg"),
    (r"\bpersetujuan\s+bangunan\s+gedung\b", "pbg"),
    (r"\bsurat\s+izin\s+mengemudi\b", "sim"),
    (r"\bsurat\s+keterangan\s+catatan\s+kepolisian\b", "skck"),
    (r"\bnomor\s+induk\s+berusaha\b", "nib"),
    (r"\bpajak\s+bumi\s+(?:dan|&)\s+bangunan\b", "pbb"),
    (r"\bsurat\s+tanda\s+nomor\s+kendaraan\b", "stnk"),
    (r"\bsurat\s+keterangan\s+tidak\s+mampu\b", "sktm"),
    (r"\bbadan\s+penyelenggara\s+jaminan\s+sosial\b", "bpjs"),
)
WORDS: Mapping[str, str] = {
    # colloquial verbs and question words
    "bikin": "buat",
    "bikinin": "buat",
    "ngurus": "urus",
    "ngurusin": "urus",
    "urusin": "urus",
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "gmana": "bagaimana",
    "brp": "berapa",
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "tdk": "tidak",
    "udah": "sudah",
    "udh": "sudah",
    "sdh": "sudah",
    "blm": "belum",
    "belom": "belum",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "buat2": "buat",
    "tp": "tapi",
    "krn": "karena",
    "bayi": "anak",
    "lahiran": "lahir",
    "nikahan": "nikah",
    "kawin": "nikah",
    "perkawinan": "nikah",
    "meninggal": "mati",
    "wafat": "mati",
    "kematian": "mati",
    "ilang": "hilang",
    "rusak": "rusak",
    "ganti": "ganti",
    "perpanjang": "panjang",
    "bikin2": "buat",
    "daptar": "daftar",
    "dftr": "daftar",
    "online": "daring",
    # documents and abbreviations
    "akte": "akta",
    "akter": "akta",
    "ektp": "ktp",
    "ktpel": "ktp",
    "imb": "pbg",
    "ak": "ak",
    "kk": "kk",
    "kia": "kia",
    "npwp": "npwp",
    "sktm": "sktm",
    "pasport": "paspor",
    "passport": "paspor",
    "pasfor": "paspor",
    "sertipikat": "sertifikat",
    "ijin": "izin",
    "surat2": "surat",
}
# Sastrawi's stopword list is made for prose; these words carry meaning in service names.
MEANINGFUL = frozenset(
    {
        "baru",
        "lama",
        "kerja",
        "buat",
        "masuk",
        "keluar",
        "datang",
        "hari",
        "akhir",
        "awal",
        "orang",
        "minta",
        "cara",
        "tahun",
        "usaha",
        "pindah",
        "umum",
        "khusus",
        "lain",
        "bulan",
        "jalan",
        "tinggal",
        "panjang",
        "ulang",
        "baik",
        "benar",
        "tanda",
        "nama",
    }
)
_TOKEN = re.compile(r"[0-9a-z]+")
_COMPILED_PHRASES = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASES)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words()) - MEANINGFUL


@lru_cache(maxsize=1)
def _stemmer() -> object:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi stem of one lower-case word (digits and short abbreviations are kept)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    stemmed: str = _stemmer().stem(word)  # type: ignore[attr-defined]
    return stemmed or word


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in _COMPILED_PHRASES:
        text = pattern.sub(f" {replacement} ", text)
    return " ".join(_TOKEN.findall(text))


def tokens(text: str) -> list[str]:
    """Normalised words with colloquial forms replaced (stopwords kept, not stemmed)."""
    return [WORDS.get(word, word) for word in normalize(text).split()]


def terms(text: str) -> list[str]:
    """Index/query terms: tokens without stopwords, stemmed."""
    stopwords = _stopwords()
    return [stem(word) for word in tokens(text) if word not in stopwords]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, stopping early above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


class SpellingCorrector:
    """Replace query terms that are not in the vocabulary with the nearest vocabulary term.

    Candidates share the first letter (typos rarely hit it) and are within edit distance 1
    (words under 7 letters) or 2; ties go to the more frequent term.
    """

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self.vocabulary = dict(vocabulary)
        self.by_initial: dict[str, list[str]] = {}
        for term in self.vocabulary:
            self.by_initial.setdefault(term[:1], []).append(term)

    def correct(self, term: str) -> str:
        if term in self.vocabulary or len(term) < 4 or not term.isalpha():
            return term
        limit = 1 if len(term) < 7 else 2
        best: tuple[int, int, str] | None = None
        for candidate in self.by_initial.get(term[:1], ()):
            distance = edit_distance(term, candidate, limit)
            if distance <= limit:
                key = (distance, -self.vocabulary[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else term

    def correct_all(self, query_terms: Iterable[str]) -> list[str]:
        return [self.correct(term) for term in query_terms]


class FieldedBM25:
    """BM25 per field, combined with field weights: ``score = Σ weight_f × BM25_f(query, doc)``."""

    def __init__(self, documents: Sequence[Mapping[str, str]], weights: Mapping[str, float]) -> None:
        """``documents``: one mapping of field name to raw text per document."""
        import bm25s

        self.size = len(documents)
        self.weights = dict(weights)
        self.indexes = {}
        stopwords = _stopwords()
        surface: dict[str, int] = {}
        self.stems: set[str] = set()
        for field_name in self.weights:
            corpus = []
            for document in documents:
                words = [word for word in tokens(document.get(field_name, "")) if word not in stopwords]
                for word in words:
                    surface[word] = surface.get(word, 0) + 1
                field_terms = [stem(word) for word in words]
                self.stems.update(field_terms)
                corpus.append(field_terms or ["\x00"])
            index = bm25s.BM25()
            if corpus:
                index.index(corpus, show_progress=False)
            self.indexes[field_name] = index
        self.corrector = SpellingCorrector(surface)

    def query_terms(self, query: str) -> list[str]:
        """The query's terms, each word typo-corrected against the indexed words before stemming."""
        stopwords = _stopwords()
        result = []
        for word in tokens(query):
            if word in stopwords:
                continue
            stemmed = stem(word)
            if stemmed not in self.stems:
                stemmed = stem(self.corrector.correct(word))
            result.append(stemmed)
        return result

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float64)
        if not query_terms or self.size == 0:
            return total
        for field_name, weight in self.weights.items():
            total += weight * np.asarray(
                self.indexes[field_name].get_scores(list(query_terms)), dtype=np.float64
            )
        return total

    def search(self, query: str, *, limit: int = 10) -> list[tuple[int, float]]:
        """Top ``limit`` (document position, score) pairs with a positive score, best first."""
        scores = self.scores(self.query_terms(query))
        if not scores.any():
            return []
        candidates = np.flatnonzero(scores > 0)
        # Stable order: score descending, then position ascending (deterministic ties).
        ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [(int(position), float(scores[position])) for position in ranked[:limit]]
