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
