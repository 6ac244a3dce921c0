"""The one Indonesian text module: normalisation, colloquial forms, stopwords, stemming, typo
tolerance and fielded BM25 ranking. Catalog search, complaint routing and the virtual assistant
all call it, so a citizen's "bikin akte lahir anak" means the same everywhere.

Pipeline (``terms``):

1. ``normalize``: Unicode NFKD without accents, lower case, multi-word phrases rewritten to
   canonical words (``kartu kuning`` -> ``ak1``, ``e-KTP`` / ``KTP-el`` -> ``ktp``, ``SIM C`` ->
   ``sim simc``, ``birth certificate`` -> ``akta lahir``), punctuation to spaces.
2. ``tokens``: split, drop absurdly long words, then one-word colloquial forms, abbreviations,
   known over-stemmings and a small English glossary mapped to standard words (``bikin`` ->
   ``buat``, ``akte`` -> ``akta``, ``imb`` -> ``pbg``, ``menikah`` -> ``nikah``, ``passport`` ->
   ``paspor``); a form may expand to several words (``bansos`` -> ``bantuan sosial``).
3. stopwords (Sastrawi's list less words that carry meaning in public services, such as
   ``baru``, ``lama``, ``kerja``, ``luar``, ``mampu``, plus a few English function words) are
   dropped;
4. each word is stemmed with Sastrawi (``pembuatan`` -> ``buat``, ``kelahiran`` -> ``lahir``),
   cached per process.

``analyze`` returns the (word, term) pairs of step 4, so an index can keep the words for typo
correction and the terms for matching. Documents are analysed with ``expand`` (``document_terms``,
``spelling_words``): they keep the written words of a rewritten phrase besides its canonical word,
so "Surat Keterangan Catatan Kepolisian" is found by "skck" and by "surat keterangan".

``SpellingCorrector`` maps an unknown word to the closest word of an index's vocabulary (same
first letter, edit distance 1 for short words, 2 for words of 7+ letters). ``FieldedBM25``
corrects a query's written words *before* the analysis, so corrected words still form phrases
("kartu keluarag" -> ``kk``), and never touches a correct Indonesian word (one whose stem is in
Sastrawi's dictionary: "kelakuan baik" is not "corrected" to "kelakuan bank"). It scores
documents per field (e.g. name, summary, requirements) with BM25 (``bm25s``; ``k1`` and ``b``
adjustable) and adds the field scores with weights, so a match in the name outranks one in the
summary; it is built from raw text or, for a persisted index, from already analysed terms
(``FieldedBM25.from_terms``), with the same result.

``analyzer_version()`` changes whenever the word lists, the stopwords, Sastrawi's version or
``ANALYSIS_REVISION`` (bump it when the code changes what terms a text gets) change; persisted
indexes store it and re-analyse when it differs.

Terms only ever contain ``[0-9a-z]``: safe to quote in FTS5 and tsquery syntax.

Pure Python: no ORM, no settings; safe to import anywhere.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

# Bump when the analysis code (not only its word lists) changes what terms a text gets.
ANALYSIS_REVISION = 3
# Longer "words" are junk (pasted hashes, URLs without separators): dropped.
MAX_WORD_LENGTH = 40

# Multi-word phrases first (applied in order to the normalised text), then one-word forms.
PHRASES: tuple[tuple[str, str], ...] = (
    # documents and their abbreviations
    (r"\bkartu\s+kuning\b", "ak1"),
    (r"\bkartu\s+(?:tanda\s+)?(?:bukti\s+)?pencari\s+kerja\b", "ak1"),
    (r"\bak\s*[/.-]?\s*1\b", "ak1"),
    (r"\be\s*-?\s*ktp\b", "ktp"),
    (r"\bktp\s*-?\s*el(?:ektronik)?\b", "ktp"),
    (r"\bkartu\s+tanda\s+penduduk(?:\s+elektronik)?\b", "ktp"),
    (r"\bkartu\s+keluarga\b", "kk"),
    (r"\bkartu\s+identitas\s+anak\b", "kia"),
    (r"\bidentitas\s+kependudukan\s+digital\b", "ikd"),
    (r"\bktp\s+digital\b", "ikd"),
    (r"\bktp\s+anak\b", "kia"),
    (r"\bizin\s+mendirikan\s+bangunan\b", "pbg"),
    (r"\bpersetujuan\s+bangunan\s+gedung\b", "pbg"),
    (r"\bsertifikat\s+laik\s+fungsi\b", "slf"),
    (r"\bsurat\s+izin\s+mengemudi\b", "sim"),
    # the class of a driving licence is its own word: "SIM C" finds SIM C before SIM A
    (r"\bsim\s*-?\s*(a|b1|b2|c|d)\b", r"sim sim\1"),
    (r"\b(?:surat\s+keterangan\s+)?catatan\s+kepolisian\b", "skck"),
    (r"\bsurat\s+(?:keterangan\s+)?(?:ber)?kelakuan\s+baik\b", "skck"),
    (r"\b(?:ber)?kelakuan\s+baik\b", "skck"),
    (r"\bnomor\s+induk\s+berusaha\b", "nib usaha"),
    (r"\bpajak\s+bumi\s+(?:dan|&)\s+bangunan\b", "pbb"),
    (r"\bsurat\s+tanda\s+nomor\s+kendaraan\b", "stnk"),
    (r"\bsurat\s+keterangan\s+tidak\s+mampu\b", "sktm"),
    (r"\bbadan\s+penyelenggara\s+jaminan\s+sosial\b", "bpjs"),
    (r"\bjaminan\s+kesehatan\s+nasional\b", "jkn"),
    (r"\bkartu\s+indonesia\s+sehat\b", "jkn"),
    (r"\bbalik\s+nama\b", "ubah nama"),
    (r"\borang\s+tua\b", "orangtua"),
    # English (visitors and foreign residents); "licence" and "license" both
    (r"\bbirth\s+cert(?:ificate)?s?\b", "akta lahir"),
    (r"\bdeath\s+cert(?:ificate)?s?\b", "akta mati"),
    (r"\b(?:marriage|wedding)\s+cert(?:ificate)?s?\b", "akta nikah"),
    (r"\bdriv(?:ing|ers?|er\s+s)\s+licen[cs]es?\b", "sim"),
    (r"\bpolice\s+(?:clearance|record|check)(?:\s+cert(?:ificate)?)?\b", "skck"),
    (r"\b(?:good\s+conduct|police)\s+cert(?:ificate)?\b", "skck"),
    (r"\b(?:national\s+)?id(?:entity)?\s+card\b", "ktp"),
    (r"\bfamily\s+(?:card|register)\b", "kk"),
    (r"\bbuilding\s+(?:permit|approval|licen[cs]e)\b", "pbg"),
    (r"\bbusiness\s+(?:licen[cs]e|permit|registration|number)\b", "nib izin usaha"),
    (r"\bhealth\s+insurance\b", "bpjs kesehatan"),
    (r"\b(?:property|land)\s+tax\b", "pbb"),
    (r"\bbank\s+account\b", "rekening"),
    (r"\bjob\s*seekers?(?:\s+card)?\b", "ak1"),
    (r"\bsocial\s+(?:assistance|aid|welfare)\b", "bantuan sosial"),
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
    "menikah": "nikah",
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
    "ortu": "orangtua",
    "umur": "usia",
    # Sastrawi over-stems these (menikah -> meni, pengesahan -> kesah, kelaikan -> kelai)
    "pengesahan": "sah",
    "disahkan": "sah",
    "mengesahkan": "sah",
    "kelaikan": "laik",
    "legalisir": "legalisasi",
    "dilegalisir": "legalisasi",
    "dilegalisasi": "legalisasi",
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
    "kis": "jkn",
    "bansos": "bantuan sosial",
    "faskes": "fasilitas kesehatan",
    "umkm": "usaha mikro",
    "ukm": "usaha kecil",
    "pasport": "paspor",
    "passport": "paspor",
    "pasfor": "paspor",
    "sertipikat": "sertifikat",
    "ijin": "izin",
    "surat2": "surat",
    # a small English glossary (one word; phrases are in PHRASES)
    "birth": "lahir",
    "born": "lahir",
    "baby": "anak",
    "child": "anak",
    "children": "anak",
    "death": "mati",
    "marriage": "nikah",
    "married": "nikah",
    "wedding": "nikah",
    "divorce": "cerai",
    "certificate": "akta",
    "passports": "paspor",
    "licence": "izin",
    "license": "izin",
    "permit": "izin",
    "business": "usaha",
    "renew": "panjang ganti",
    "renewal": "panjang ganti",
    "extend": "panjang",
    "extension": "panjang",
    "replace": "ganti",
    "replacement": "ganti",
    "lost": "hilang",
    "new": "baru",
    "register": "daftar",
    "registration": "daftar",
    "tax": "pajak",
    "vehicle": "kendaraan",
    "car": "mobil",
    "motorbike": "motor",
    "motorcycle": "motor",
    "scooter": "motor",
    "moving": "pindah",
    "move": "pindah",
    "relocation": "pindah",
    "legalization": "legalisasi",
    "legalisation": "legalisasi",
    "diploma": "ijazah",
    "account": "rekening",
    "savings": "tabungan",
    "insurance": "jaminan",
    "health": "kesehatan",
    "building": "bangunan",
    "house": "rumah",
    "land": "tanah",
    "job": "kerja",
    "work": "kerja",
}
# Sastrawi's stopword list is made for prose; these words carry meaning in service names.
MEANINGFUL = frozenset(
    {
        "baru",
        "lama",
        "kerja",
        "bekerja",
        "buat",
        "masuk",
        "keluar",
        "luar",
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
        "mampu",
        "kecil",
        "besar",
        "ibu",
        "bapak",
        "lanjut",
        "pertama",
        "tempat",
        "masa",
        "naik",
    }
)
# English function words of the queries visitors type ("how to get a birth certificate").
ENGLISH_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "apply",
        "application",
        "at",
        "can",
        "do",
        "does",
        "for",
        "from",
        "get",
        "getting",
        "how",
        "i",
        "in",
        "is",
        "make",
        "my",
        "need",
        "of",
        "on",
        "or",
        "please",
        "the",
        "to",
        "want",
        "what",
        "where",
        "with",
    }
)
_TOKEN = re.compile(r"[0-9a-z]+")
_COMPILED_PHRASES = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASES)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return (frozenset(StopWordRemoverFactory().get_stop_words()) - MEANINGFUL) | ENGLISH_STOPWORDS


@lru_cache(maxsize=1)
def _stemmer() -> object:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def _bm25s() -> Any:
    import bm25s

    # bm25s sets its logger to DEBUG on import and logs every index build.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(word for word in StemmerFactory().get_words() if word)


def is_dictionary_word(word: str) -> bool:
    """Whether ``word`` or its stem is in Sastrawi's dictionary of Indonesian root words."""
    dictionary = _dictionary()
    return word in dictionary or stem(word) in dictionary


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi stem of one lower-case word (digits and short abbreviations are kept)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    stemmed: str = _stemmer().stem(word)  # type: ignore[attr-defined]
    return stemmed or word


def plain_words(text: str) -> list[str]:
    """The lower-case ``[0-9a-z]`` words of ``text``, accents removed (no phrase rewriting)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return _TOKEN.findall("".join(char for char in decomposed if not unicodedata.combining(char)).lower())


def normalize(text: str, *, expand: bool = False) -> str:
    """Lower-case ``[0-9a-z]`` words separated by single spaces, phrases rewritten.

    ``expand`` (for documents, not queries) keeps the words as written and adds the canonical
    words of the phrases: a document "Surat Keterangan Catatan Kepolisian" is found both by
    "skck" and by "surat keterangan", while the query "catatan kepolisian" still means ``skck``.
    """
    written = plain_words(text)
    rewritten = " ".join(written)
    for pattern, replacement in _COMPILED_PHRASES:
        rewritten = pattern.sub(replacement, rewritten)
    canonical = _TOKEN.findall(rewritten)
    if not expand:
        return " ".join(canonical)
    seen = set(written)
    return " ".join(written + [word for word in canonical if word not in seen])


def tokens(text: str, *, expand: bool = False) -> list[str]:
    """Normalised words with colloquial forms replaced (stopwords kept, not stemmed)."""
    result: list[str] = []
    for word in normalize(text, expand=expand).split():
        if len(word) > MAX_WORD_LENGTH:
            continue
        replacement = WORDS.get(word, word)
        if " " in replacement:
            result.extend(replacement.split())
        else:
            result.append(replacement)
    return result


def analyze(text: str, *, expand: bool = False) -> list[tuple[str, str]]:
    """(word, term) pairs of ``text``: its tokens without stopwords, each with its stem."""
    stopwords = _stopwords()
    return [(word, stem(word)) for word in tokens(text, expand=expand) if word not in stopwords]


def spelling_words(text: str) -> set[str]:
    """The words of a document's ``text`` a misspelt query word may be corrected to.

    Both the words as written (so "kartu keluarag" finds "keluarga" although the phrase
    ``kartu keluarga`` becomes ``kk``) and the words after colloquial forms are replaced.
    """
    stopwords = _stopwords()
    written = {word for word in plain_words(text) if len(word) <= MAX_WORD_LENGTH and word not in stopwords}
    return written | {word for word, _term in analyze(text, expand=True)}


def document_terms(text: str) -> list[str]:
    """Index terms of a document: ``terms`` plus the written words of rewritten phrases."""
    return [term for _word, term in analyze(text, expand=True)]


def terms(text: str) -> list[str]:
    """Query terms: tokens without stopwords, stemmed (documents: ``document_terms``)."""
    return [term for _word, term in analyze(text)]


@lru_cache(maxsize=1)
def _analyzer_version() -> str:
    from importlib.metadata import version

    parts = [
        repr(PHRASES),
        repr(sorted(WORDS.items())),
        repr(sorted(_stopwords())),
        str(MAX_WORD_LENGTH),
        version("PySastrawi"),
        str(ANALYSIS_REVISION),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def analyzer_version() -> str:
    """A short fingerprint of everything that decides the terms of a text (see module doc)."""
    return _analyzer_version()


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
    (words under 7 letters) or 2; ties go to the more frequent term, then the alphabetically
    first. Answers are memoised (the vocabulary does not change).
    """

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self.vocabulary = dict(vocabulary)
        self.by_initial: dict[str, list[str]] = {}
        for term in sorted(self.vocabulary):
            self.by_initial.setdefault(term[:1], []).append(term)
        self._memo: dict[str, str] = {}

    def correct(self, term: str) -> str:
        if term in self.vocabulary or len(term) < 4 or not term.isalpha():
            return term
        memoised = self._memo.get(term)
        if memoised is not None:
            return memoised
        limit = 1 if len(term) < 7 else 2
        best: tuple[int, int, str] | None = None
        for candidate in self.by_initial.get(term[:1], ()):
            if abs(len(candidate) - len(term)) > limit:
                continue
            distance = edit_distance(term, candidate, limit)
            if distance <= limit:
                key = (distance, -self.vocabulary[candidate], candidate)
                if best is None or key < best:
                    best = key
        corrected = best[2] if best else term
        if len(self._memo) < 10_000:
            self._memo[term] = corrected
        return corrected

    def correct_all(self, query_terms: Iterable[str]) -> list[str]:
        return [self.correct(term) for term in query_terms]


class FieldedBM25:
    """BM25 per field, combined with field weights: ``score = Σ weight_f × BM25_f(query, doc)``.

    Ties keep document order, so a caller that orders its documents deterministically gets a
    deterministic ranking.
    """

    size: int
    weights: dict[str, float]
    indexes: dict[str, Any]
    stems: set[str]
    corrector: SpellingCorrector

    def __init__(
        self,
        documents: Sequence[Mapping[str, str]],
        weights: Mapping[str, float],
        *,
        k1: float = 1.5,
        b: float = 0.75,
    ) -> None:
        """``documents``: one mapping of field name to raw text per document.

        ``k1`` and ``b`` are BM25's term-frequency saturation and length normalisation; short
        fields such as service names rank better with a lower ``b``.
        """
        field_terms: dict[str, list[list[str]]] = {field_name: [] for field_name in weights}
        words: Counter[str] = Counter()
        for document in documents:
            document_words: set[str] = set()
            for field_name in weights:
                field_text = document.get(field_name, "")
                document_words.update(spelling_words(field_text))
                field_terms[field_name].append(document_terms(field_text))
            words.update(document_words)
        self._build(len(documents), weights, field_terms, words, k1=k1, b=b)

    @classmethod
    def from_terms(
        cls,
        field_terms: Mapping[str, Sequence[Sequence[str]]],
        weights: Mapping[str, float],
        words: Mapping[str, int],
        *,
        k1: float = 1.5,
        b: float = 0.75,
    ) -> FieldedBM25:
        """An index over documents that were analysed before (e.g. persisted terms).

        ``field_terms[field]`` holds each document's terms of that field, documents in the same
        order for every field; ``words`` counts, per indexed word (before stemming), the
        documents it occurs in (the vocabulary of the typo corrector).
        """
        sizes = {len(field_terms.get(field_name, ())) for field_name in weights}
        if len(sizes) > 1:
            raise ValueError("every field needs the same number of documents")
        index = cls.__new__(cls)
        index._build(
            sizes.pop() if sizes else 0,
            weights,
            {
                field_name: [list(terms) for terms in field_terms.get(field_name, ())]
                for field_name in weights
            },
            words,
            k1=k1,
            b=b,
        )
        return index

    def _build(
        self,
        size: int,
        weights: Mapping[str, float],
        field_terms: Mapping[str, list[list[str]]],
        words: Mapping[str, int],
        *,
        k1: float,
        b: float,
    ) -> None:
        bm25s = _bm25s()
        self.size = size
        self.weights = dict(weights)
        self.indexes = {}
        self.stems = set()
        for field_name in self.weights:
            corpus = [terms or ["\x00"] for terms in field_terms[field_name]]
            for terms in field_terms[field_name]:
                self.stems.update(terms)
            index = bm25s.BM25(k1=k1, b=b)
            if corpus:
                index.index(corpus, show_progress=False)
            self.indexes[field_name] = index
        self.corrector = SpellingCorrector(words)

    def query_terms(self, query: str) -> list[str]:
        """The query's terms, typo-corrected.

        A written word that is neither an indexed word, a stopword, a known colloquial form, a
        word whose stem is indexed nor a correct Indonesian word (``is_dictionary_word``) is
        replaced with the nearest indexed word *before* the analysis, so corrected words still
        form phrases ("kartu keluarag" -> ``kk``) and correct words are never "corrected" into
        other words ("kelakuan baik" does not become "kelakuan bank").
        """
        stopwords = _stopwords()
        corrected = []
        for word in plain_words(query):
            if len(word) > MAX_WORD_LENGTH:
                continue
            known = (
                word in self.corrector.vocabulary
                or word in stopwords
                or word in WORDS
                or stem(word) in self.stems
                or is_dictionary_word(word)
            )
            corrected.append(word if known else self.corrector.correct(word))
        return terms(" ".join(corrected))

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float64)
        known = [term for term in query_terms if term in self.stems]
        if not known or self.size == 0:
            return total
        for field_name, weight in self.weights.items():
            index = self.indexes[field_name]
            total += weight * np.asarray(index.get_scores(known), dtype=np.float64)
        return total

    def rank(
        self, query_terms: Sequence[str], *, limit: int = 10, among: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top ``limit`` (document position, score) pairs with a positive score, best first.

        ``among`` restricts the ranking to those document positions (e.g. the candidates a
        database full-text index returned, already filtered).
        """
        scores = self.scores(query_terms)
        if among is None:
            candidates = np.flatnonzero(scores > 0)
        else:
            chosen = np.unique(np.asarray(among, dtype=np.int64))
            chosen = chosen[(chosen >= 0) & (chosen < self.size)]
            candidates = chosen[scores[chosen] > 0]
        if candidates.size == 0 or limit <= 0:
            return []
        # Stable order: score descending, then position ascending (deterministic ties).
        ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [(int(position), float(scores[position])) for position in ranked[:limit]]

    def search(self, query: str, *, limit: int = 10) -> list[tuple[int, float]]:
        """Top ``limit`` (document position, score) pairs with a positive score, best first."""
        return self.rank(self.query_terms(query), limit=limit)
