"""SKM scoring rules (``layanan.survey.scoring``): pure functions, no database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from layanan.survey.elements import ELEMENT_KEYS
from layanan.survey.scoring import (
    WEIGHTINGS,
    ElementTally,
    IndexScore,
    grade_for,
    minimum_sample,
    round_half_up,
    score,
    tallies_from_rows,
    weight_for,
)

# Oracle of domain-facts §1.6: four respondents, answers to U1 … U9.
ORACLE = (
    (4, 4, 3, 4, 3, 3, 4, 3, 2),
    (3, 3, 3, 4, 3, 3, 3, 3, 3),
    (4, 3, 2, 4, 4, 4, 4, 3, 3),
    (2, 3, 3, 4, 3, 3, 3, 2, 2),
)
ORACLE_NRR = ("3.25", "3.25", "2.75", "4.00", "3.25", "3.25", "3.50", "2.75", "2.50")

# Krejcie & Morgan, every row of the published table (domain-facts §1.7): N → S.
KREJCIE_MORGAN = [
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32),
    (40, 36), (45, 40), (50, 44), (55, 48), (60, 52), (65, 56),
    (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108),
    (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159),
    (280, 162), (290, 165), (300, 169), (320, 175), (340, 181), (360, 186),
    (380, 191), (400, 196), (420, 201), (440, 205), (460, 210), (480, 214),
    (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285),
    (1200, 291), (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313),
    (1800, 317), (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335),
    (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354), (5000, 357),
    (6000, 361), (7000, 364), (8000, 367), (9000, 368), (10000, 370), (15000, 375),
    (20000, 377), (30000, 379), (40000, 380), (50000, 381), (75000, 382), (1000000, 384),
]  # fmt: skip


def oracle_rows() -> list[dict[str, int | None]]:
    return [dict(zip(ELEMENT_KEYS, answers, strict=True)) for answers in ORACLE]


def oracle_score(weighting: str = "exact") -> IndexScore:
    result = score(tallies_from_rows(oracle_rows()), weighting)  # type: ignore[arg-type]
    assert result is not None
    return result


def tallies(*pairs: tuple[int, int]) -> list[ElementTally]:
    """Tallies for U1, U2, … from (total, answered) pairs, in questionnaire order."""
    return [
        ElementTally(key, total, answered)
        for key, (total, answered) in zip(ELEMENT_KEYS[: len(pairs)], pairs, strict=True)
    ]


# --- The oracle ---------------------------------------------------------------------------------


def test_oracle_nrr_per_element() -> None:
    result = oracle_score()

    assert [element.key for element in result.elements] == list(ELEMENT_KEYS)
    assert [element.nrr_display for element in result.elements] == [Decimal(n) for n in ORACLE_NRR]
    assert [element.nrr for element in result.elements] == [Fraction(n) for n in ORACLE_NRR]
    assert all(element.answered == 4 for element in result.elements)
    assert result.elements_scored == 9


def test_oracle_exact_weighting() -> None:
    result = oracle_score("exact")

    assert result.weighting == "exact"
    assert result.weight == Fraction(1, 9)
    assert result.index_value == Fraction(57, 18)  # 28.5 / 9 = 3.1666…
    assert result.ikm_exact == Fraction(475, 6)  # 79.1666…
    assert result.ikm == Decimal("79.17")
    assert str(result.ikm) == "79.17"
    assert result.grade == "B"


def test_oracle_permen_weighting() -> None:
    result = oracle_score("permen")

    assert result.weight == Fraction(11, 100)
    assert result.index_value == Fraction("3.135")
    assert result.ikm_exact == Fraction("78.375")
    assert result.ikm == Decimal("78.38")  # 78.375, half up
    assert result.grade == "B"


def test_grade_label_is_translatable_and_distinct_by_context() -> None:
    result = oracle_score()
    with translation.override("en"):
        assert str(result.grade_label) == "Good"


def test_lowest_elements_ties_in_questionnaire_order() -> None:
    result = oracle_score()

    # U9 2.50, then U3 and U8 both 2.75 (U3 first), then U1 3.25 …
    assert [element.key for element in result.lowest()] == ["pengaduan", "waktu", "sarana"]
    assert [element.key for element in result.lowest(1)] == ["pengaduan"]
    assert len(result.lowest(20)) == 9
    assert result.lowest(0) == ()


def test_lowest_leaves_out_unanswered_elements() -> None:
    rows = [{**row, "pengaduan": None} for row in oracle_rows()]
    result = score(tallies_from_rows(rows))
    assert result is not None

    assert [element.key for element in result.lowest(2)] == ["waktu", "sarana"]
    assert "pengaduan" not in [element.key for element in result.lowest(9)]


# --- Grades ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        ("25", "D"),
        ("25.00", "D"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100", "A"),
        ("100.00", "A"),
    ],
)
def test_grade_boundaries(ikm: str, grade: str) -> None:
    assert grade_for(Decimal(ikm)) == grade


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        ("88.305", "A"),  # rounds to 88.31
        ("88.3049", "B"),  # rounds to 88.30
        ("76.605", "B"),  # rounds to 76.61
        ("76.6049", "C"),  # rounds to 76.60
        ("64.995", "C"),  # rounds to 65.00
        ("64.9949", "D"),  # rounds to 64.99
    ],
)
def test_grade_is_taken_from_the_rounded_ikm(ikm: str, grade: str) -> None:
    assert grade_for(Decimal(ikm)) == grade


def _spread(total: int, answered: int, count: int = 8) -> list[tuple[int, int]]:
    """``count`` elements answered by ``answered`` respondents whose totals add up to ``total``."""
    base, extra = divmod(total, count)
    return [(base + (index < extra), answered) for index in range(count)]


@pytest.mark.parametrize(
    ("eight", "ninth", "low", "high", "ikm", "grade"),
    [
        # The exact IKM is below the grade's lower bound, but rounds onto it.
        ((309, 11), (37, 10), "88.305", "88.31", "88.31", "A"),
        ((269, 11), (25, 8), "76.605", "76.61", "76.61", "B"),
        ((264, 13), (34, 11), "64.995", "65", "65.00", "C"),
        # Just below the half: rounds down and stays in the lower grade.
        ((279, 10), (35, 9), "88.30", "88.305", "88.30", "B"),
        ((214, 9), (19, 5), "76.60", "76.605", "76.60", "C"),
        ((181, 9), (23, 7), "64.99", "64.995", "64.99", "D"),
    ],
)
def test_rounding_can_move_the_grade(
    eight: tuple[int, int],
    ninth: tuple[int, int],
    low: str,
    high: str,
    ikm: str,
    grade: str,
) -> None:
    result = score(tallies(*_spread(*eight), ninth))
    assert result is not None

    assert Fraction(low) <= result.ikm_exact < Fraction(high)
    assert result.ikm == Decimal(ikm)
    assert result.grade == grade


def test_extreme_scores() -> None:
    best = score(tallies(*[(40, 10)] * 9))
    worst = score(tallies(*[(10, 10)] * 9))
    assert best is not None
    assert worst is not None

    assert (best.ikm, best.grade) == (Decimal("100.00"), "A")
    assert (worst.ikm, worst.grade) == (Decimal("25.00"), "D")
    # The printed weight 0.11 adds up to 0.99: every score is 1 % lower.
    best_permen = score(tallies(*[(40, 10)] * 9), "permen")
    assert best_permen is not None
    assert best_permen.ikm == Decimal("99.00")


# --- Blank answers -----------------------------------------------------------------------------


def test_element_answered_by_fewer_respondents_averages_over_those_who_answered() -> None:
    rows = oracle_rows()
    rows[0]["waktu"] = None  # R1 left U3 blank: 3 + 2 + 3 over 3
    rows[3]["pengaduan"] = None  # R4 left U9 blank: 2 + 3 + 3 over 3

    result = score(tallies_from_rows(rows))
    assert result is not None

    waktu, pengaduan = result.elements[2], result.elements[8]
    assert (waktu.total, waktu.answered, waktu.nrr) == (8, 3, Fraction(8, 3))
    assert waktu.nrr_display == Decimal("2.67")
    assert (pengaduan.total, pengaduan.answered, pengaduan.nrr) == (8, 3, Fraction(8, 3))
    assert result.elements_scored == 9
    assert result.weight == Fraction(1, 9)
    expected = (Fraction(114 - 11 - 10, 4) + Fraction(16, 3)) / 9 * 25
    assert result.ikm_exact == expected
    assert result.ikm == round_half_up(expected)


def test_element_nobody_answered_is_left_out() -> None:
    rows = [{**row, "biaya": None} for row in oracle_rows()]  # U4 (4.00) blank for everyone

    exact = score(tallies_from_rows(rows), "exact")
    permen = score(tallies_from_rows(rows), "permen")
    assert exact is not None
    assert permen is not None

    biaya = exact.elements[3]
    assert (biaya.key, biaya.total, biaya.answered, biaya.nrr, biaya.nrr_display) == (
        "biaya",
        0,
        0,
        None,
        None,
    )
    assert len(exact.elements) == 9
    assert exact.elements_scored == 8
    assert exact.weight == Fraction(1, 8)
    assert exact.index_value == Fraction("24.5") / 8
    assert exact.ikm == Decimal("76.56")  # 76.5625
    assert exact.grade == "C"
    assert permen.weight == Fraction(12, 100)  # 1/8 = 0.125 cut to 0.12, never rounded up
    assert permen.ikm_exact == Fraction("73.5")  # 8 × 0.12 = 0.96: below the exact IKM
    assert permen.ikm == Decimal("73.50")
    assert permen.grade == "C"


@pytest.mark.parametrize("answered_elements", range(1, 10))
def test_permen_weighting_never_lifts_the_ikm_above_100(answered_elements: int) -> None:
    keys = ELEMENT_KEYS[:answered_elements]
    result = score([ElementTally(key, 40, 10) for key in keys], "permen")
    assert result is not None
    assert result.ikm <= Decimal("100.00")


def test_missing_tallies_count_as_not_answered() -> None:
    result = score([ElementTally("pengaduan", 10, 4), ElementTally("persyaratan", 13, 4)])
    assert result is not None

    assert [element.key for element in result.elements] == list(ELEMENT_KEYS)
    assert [element.answered for element in result.elements] == [4, 0, 0, 0, 0, 0, 0, 0, 4]
    assert result.elements_scored == 2
    assert result.weight == Fraction(1, 2)
    assert result.ikm_exact == Fraction("2.875") * 25


def test_tallies_are_kept_in_questionnaire_order() -> None:
    given = list(reversed(tallies_from_rows(oracle_rows())))

    result = score(given)
    assert result is not None

    assert [element.key for element in result.elements] == list(ELEMENT_KEYS)
    assert result.ikm == Decimal("79.17")


def test_all_blank_gives_no_score() -> None:
    blank = [dict.fromkeys(ELEMENT_KEYS) for _ in range(3)]

    assert score(tallies_from_rows(blank)) is None
    assert score(tallies_from_rows([])) is None
    assert score([]) is None
    assert score([], "permen") is None


# --- Krejcie & Morgan --------------------------------------------------------------------------


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN)
def test_minimum_sample_reproduces_the_table(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample


def test_krejcie_morgan_table_is_complete() -> None:
    assert len(KREJCIE_MORGAN) == 90


def test_minimum_sample_edges() -> None:
    assert minimum_sample(100_000) == 383  # not the 384 some reproductions print
    assert minimum_sample(0) == 0
    assert minimum_sample(1) == 1
    assert minimum_sample(10**12) == 384
    with pytest.raises(ValueError):
        minimum_sample(-1)


def test_minimum_sample_between_rows_uses_the_formula() -> None:
    # 105 lies between the rows 100 → 80 and 110 → 86.
    assert 80 < minimum_sample(105) < 86
    assert minimum_sample(105) == 83


# --- Rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(78375, 1000), 2, "78.38"),
        (Fraction(475, 6), 2, "79.17"),
        (Fraction(475, 6), 4, "79.1667"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(1, 9), 2, "0.11"),
        (Decimal("88.305"), 2, "88.31"),
        (Decimal("2.675"), 2, "2.68"),  # float would give 2.67
        (Decimal("76.6049999999999999999999999999999"), 2, "76.60"),
        (Fraction(10**40 + 5, 10**3), 2, str(10**37) + ".01"),
        (100, 2, "100.00"),
        (0, 2, "0.00"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 1000), 2, "-0.01"),
        (Fraction(-1, 1000), 2, "0.00"),
    ],
)
def test_round_half_up(value: Fraction | Decimal | int, places: int, expected: str) -> None:
    result = round_half_up(value, places)

    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_round_half_up_refuses_floats() -> None:
    with pytest.raises(TypeError):
        round_half_up(0.1)  # type: ignore[arg-type]


# --- Validation --------------------------------------------------------------------------------


def test_weightings() -> None:
    assert WEIGHTINGS == ("exact", "permen")
    assert weight_for(9, "exact") == Fraction(1, 9)
    assert weight_for(9, "permen") == Fraction(11, 100)
    assert weight_for(3, "permen") == Fraction(33, 100)


def test_unknown_weighting() -> None:
    with pytest.raises(ValueError, match="weighting"):
        score(tallies_from_rows(oracle_rows()), "0.111")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weighting"):
        score([], "Permen")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "tally",
    [
        ElementTally("persyaratan", 17, 4),  # more than 4 × answered
        ElementTally("persyaratan", 3, 4),  # less than 1 × answered
        ElementTally("persyaratan", 3, 0),  # a total without answers
        ElementTally("persyaratan", -4, -1),
        ElementTally("persyaratan", 0, -1),
    ],
)
def test_impossible_tally(tally: ElementTally) -> None:
    with pytest.raises(ValueError, match="persyaratan"):
        score([tally])


def test_tally_boundaries_are_possible() -> None:
    assert score([ElementTally("persyaratan", 16, 4)]) is not None
    assert score([ElementTally("persyaratan", 4, 4)]) is not None
    assert score([ElementTally("persyaratan", 0, 0)]) is None


def test_unknown_element_key() -> None:
    with pytest.raises(ValueError, match="U1"):
        score([ElementTally("U1", 13, 4)])


def test_repeated_element_key() -> None:
    with pytest.raises(ValueError, match="twice"):
        score([ElementTally("persyaratan", 13, 4), ElementTally("persyaratan", 13, 4)])


def test_tallies_from_rows_validates() -> None:
    with pytest.raises(ValueError, match="U1"):
        tallies_from_rows([{"U1": 3}])
    with pytest.raises(ValueError, match="persyaratan"):
        tallies_from_rows([{"persyaratan": 5}])
    with pytest.raises(ValueError, match="persyaratan"):
        tallies_from_rows([{"persyaratan": 0}])


def test_tallies_from_rows_sums_per_element() -> None:
    rows: list[dict[str, int | None]] = [{"persyaratan": 4, "waktu": None}, {"persyaratan": 2}]

    result = tallies_from_rows(iter(rows))

    assert [tally.key for tally in result] == list(ELEMENT_KEYS)
    assert result[0] == ElementTally("persyaratan", 6, 2)
    assert result[2] == ElementTally("waktu", 0, 0)
