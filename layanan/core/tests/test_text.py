from __future__ import annotations

import pytest

from layanan.core import text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gimana cara bikin akte kelahiran anak?", ["cara", "buat", "akta", "lahir", "anak"]),
        ("e-KTP hilang", ["ktp", "hilang"]),
        ("KTP-el", ["ktp"]),
        ("ktp el", ["ktp"]),
        ("IMB rumah", ["pbg", "rumah"]),
        ("Persetujuan Bangunan Gedung", ["pbg"]),
        ("kartu kuning", ["ak1"]),
        ("AK/1", ["ak1"]),
        ("perpanjang SIM", ["panjang", "sim"]),
        ("surat pindah keluar", ["surat", "pindah", "keluar"]),
    ],
)
def test_terms_understand_colloquial_indonesian(query: str, expected: list[str]) -> None:
    assert text.terms(query) == expected


def test_stopwords_are_dropped_but_meaningful_words_kept() -> None:
    assert text.terms("yang dan untuk SIM baru") == ["sim", "baru"]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("lahir", "lahir", 0), ("lahri", "lahir", 1), ("kelahrian", "kelahiran", 1), ("akta", "akte", 1)],
)
def test_edit_distance_counts_transpositions_as_one(a: str, b: str, distance: int) -> None:
    assert text.edit_distance(a, b, 2) == distance


def test_spelling_corrector_prefers_closest_then_most_frequent() -> None:
    corrector = text.SpellingCorrector({"kelahiran": 5, "kematian": 3, "paspor": 2})

    assert corrector.correct("kelahrian") == "kelahiran"
    assert corrector.correct("pasport") == "paspor"
    assert corrector.correct("xyzw") == "xyzw"


def _index() -> text.FieldedBM25:
    documents = [
        {"name": "Penerbitan Akta Kelahiran", "summary": "Akta untuk anak yang baru lahir"},
        {"name": "Perekaman KTP-el", "summary": "Kartu tanda penduduk elektronik untuk warga 17 tahun"},
        {"name": "Persetujuan Bangunan Gedung", "summary": "Izin membangun atau merenovasi rumah"},
        {"name": "Perpanjangan SIM A dan C", "summary": "Untuk SIM yang habis masa berlakunya"},
        {"name": "Legalisasi dokumen", "summary": "Legalisasi salinan akta kelahiran dan KK"},
    ]
    return text.FieldedBM25(documents, {"name": 3.0, "summary": 1.0})


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("bikin akte lahir", 0),
        ("e-ktp", 1),
        ("imb", 2),
        ("akta kelahrian", 0),
        ("perpanjnagan sim", 3),
    ],
)
def test_fielded_bm25_finds_the_right_document(query: str, best: int) -> None:
    assert _index().search(query)[0][0] == best


def test_a_match_in_the_name_outranks_a_match_in_the_summary() -> None:
    ranked = [position for position, _score in _index().search("akta kelahiran")]

    assert ranked[:2] == [0, 4]


def test_no_match_gives_no_results() -> None:
    assert _index().search("pesawat terbang") == []


# --- Normalisation, phrases, glossary -----------------------------------------------------------


def test_accents_are_dropped_and_words_are_lower_case() -> None:
    assert text.plain_words("Café  ÑGÒ-12 ﬁle") == ["cafe", "ngo", "12", "file"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("perpanjang SIM C", ["panjang", "sim", "simc"]),
        ("SIM A umum", ["sim", "sima", "umum"]),
        ("surat izin mengemudi", ["sim"]),
        ("surat kelakuan baik", ["skck"]),
        ("catatan kepolisian", ["skck"]),
        ("ktp anak", ["kia"]),
        ("KTP digital", ["ikd"]),
        ("menikah", ["nikah"]),
        ("pengesahan STNK", ["sah", "stnk"]),
        ("bansos", ["bantu", "sosial"]),
        ("ortu meninggal", ["orangtua", "mati"]),
        ("warga tidak mampu", ["warga", "mampu"]),
        ("how to get a birth certificate", ["akta", "lahir"]),
        ("driver's license renewal", ["sim", "panjang", "ganti"]),
        ("police clearance certificate", ["skck"]),
    ],
)
def test_more_colloquial_forms_abbreviations_and_english(query: str, expected: list[str]) -> None:
    assert text.terms(query) == expected


def test_documents_keep_the_words_of_rewritten_phrases() -> None:
    assert text.terms("Surat Keterangan Catatan Kepolisian") == ["skck"]
    assert text.document_terms("Surat Keterangan Catatan Kepolisian") == [
        "surat",
        "terang",
        "catat",
        "polisi",
        "skck",
    ]


def test_absurdly_long_words_are_dropped() -> None:
    assert text.terms("x" * (text.MAX_WORD_LENGTH + 1) + " ktp") == ["ktp"]


def test_spelling_words_hold_the_words_as_written_and_as_replaced() -> None:
    words = text.spelling_words("Kartu Keluarga dan Akta Kematian")

    assert {"kartu", "keluarga", "kk", "akta", "kematian", "mati"} <= words
    assert "dan" not in words


def test_dictionary_words() -> None:
    assert text.is_dictionary_word("baik")
    assert text.is_dictionary_word("kelakuan")  # its stem, laku, is a root word
    assert not text.is_dictionary_word("kelahrian")


def test_analyzer_version_follows_the_word_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    version = text.analyzer_version()
    assert len(version) == 16

    text._analyzer_version.cache_clear()
    monkeypatch.setattr(text, "WORDS", {**text.WORDS, "contoh": "misal"})
    try:
        assert text.analyzer_version() != version
    finally:
        monkeypatch.undo()
        text._analyzer_version.cache_clear()
    assert text.analyzer_version() == version


# --- Typo tolerance inside the index ------------------------------------------------------------


def _catalog() -> text.FieldedBM25:
    documents = [
        {"name": "Kartu Keluarga", "summary": "Perubahan susunan keluarga"},
        {"name": "Rekening Bank", "summary": "Pembukaan rekening tabungan"},
        {"name": "Surat Keterangan Catatan Kepolisian", "summary": "Untuk melamar kerja"},
        {"name": "Akta Kematian", "summary": "Pencatatan kematian"},
    ]
    return text.FieldedBM25(documents, {"name": 3.0, "summary": 1.0})


def test_a_misspelt_word_is_corrected_before_phrases_apply() -> None:
    index = _catalog()

    assert index.query_terms("kartu keluarag") == ["kk"]
    assert index.search("kartu keluarag")[0][0] == 0
    assert index.search("akta kematain")[0][0] == 3


def test_a_correct_word_is_never_corrected_into_another() -> None:
    index = _catalog()

    assert index.query_terms("surat kelakuan baik") == ["skck"]  # not "kelakuan bank"
    assert index.search("surat kelakuan baik")[0][0] == 2


def test_from_terms_ranks_like_the_raw_text_index() -> None:
    raw = [
        {"name": "Akta Kelahiran", "summary": "Untuk anak yang baru lahir"},
        {"name": "Kartu Identitas Anak", "summary": "Kartu untuk anak"},
        {"name": "Perpanjangan SIM C", "summary": "SIM sepeda motor"},
    ]
    weights = {"name": 3.0, "summary": 1.0}
    built = text.FieldedBM25(raw, weights, b=0.5)
    field_terms = {field: [text.document_terms(doc[field]) for doc in raw] for field in weights}
    words: dict[str, int] = {}
    for doc in raw:
        for word in set().union(*(text.spelling_words(doc[field]) for field in weights)):
            words[word] = words.get(word, 0) + 1
    loaded = text.FieldedBM25.from_terms(field_terms, weights, words, b=0.5)

    for query in ("anak", "akta lahir", "sim motor", "kartu anak lahir", "perpanjnagan sim"):
        assert loaded.search(query) == built.search(query)


def test_from_terms_needs_aligned_fields() -> None:
    with pytest.raises(ValueError, match="same number"):
        text.FieldedBM25.from_terms({"name": [["a"]], "summary": []}, {"name": 1.0, "summary": 1.0}, {})


def test_rank_among_restricts_the_candidates() -> None:
    index = _index()
    terms = index.query_terms("akta kelahiran")

    assert [position for position, _ in index.rank(terms, among=[4, 2, 99, -1])] == [4]
    assert index.rank(terms, among=[]) == []
    assert index.rank(terms, limit=0) == []


def test_unknown_terms_score_nothing() -> None:
    assert not _index().scores(["tidakadadimanapun"]).any()
