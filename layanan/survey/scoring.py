"""Scoring of the satisfaction survey (SKM): NRR, index value, IKM, grade and minimum sample.

The rules of Permen PANRB 14/2017 (appendix, *pengolahan data*), as this platform applies them.
Everything is computed exactly with ``Fraction``; no float is used anywhere. Only the final IKM is
rounded, and only for display and grading.

1. **NRR per element.** For element *i*, *nilai rata-rata* NRR_i = (sum of the answers to element
   *i*) / (number of respondents who answered element *i*). Answers are 1–4, 4 the best. A
   respondent who left an element blank is not counted for that element, and only for that one.
2. **Elements scored.** An element nobody answered is left out of the index. X is the number of
   elements with at least one answer (9 when every element was answered by someone).
3. **Weight per element** (*bobot nilai rata-rata tertimbang* = 1 / X), by the chosen method:

   * ``exact`` (the default): exactly 1/X, so the weights sum to 1;
   * ``permen``: 1/X cut to two decimals, as the regulation prints it (1/9 = 0.111… → 0.11;
     1/8 = 0.125 → 0.12). The weights then sum to a little less than 1 (9 × 0.11 = 0.99, which
     lowers every score by 1 %). Cutting, not rounding, keeps the IKM within 25–100 whatever X
     is (rounding 1/8 up to 0.13 would give 8 × 0.13 = 1.04 and an IKM up to 104).

4. **Index value** (*nilai indeks*, 1–4 with the exact weight) = Σ NRR_i × weight, over the X
   elements scored.
5. **IKM** (*indeks kepuasan masyarakat*, 25–100 with the exact weight) = index value × 25
   (*nilai dasar*). The exact IKM is rounded half up (0.005 goes up) to two decimals; nothing
   before it is rounded.
6. **Grade** (*mutu pelayanan*), from the rounded IKM, by the interval table of the regulation:
   A (*sangat baik*) if IKM ≥ 88.31; B (*baik*) if IKM ≥ 76.61; C (*kurang baik*) if
   IKM ≥ 65.00; D (*tidak baik*) otherwise. The table leaves gaps between its rows (e.g. between
   76.60 and 76.61); grading the rounded IKM closes them: an exact IKM of 76.605 rounds to 76.61
   and is a B, one of 76.6049 rounds to 76.60 and is a C.
7. **No answer at all.** When no element has any answer there is no index (``score`` returns
   ``None``).

**Minimum sample** (Krejcie & Morgan, the table the regulation refers to): for a population of N
service recipients in the reference period, S = λ²·N·P·Q / (d²·(N − 1) + λ²·P·Q) with λ² = 3.841
(chi-square, 1 degree of freedom, α = 5 %), P = Q = 0.5 and d = 0.05, computed exactly and rounded
to the nearest integer (half up). This reproduces every row of the published table (e.g.
N = 100 → 80, N = 1,000 → 278, N = 1,000,000 → 384); for a population between two rows we use the
formula, not the next row of the table. The formula gives 383 for N = 100,000, where some
reproductions of the table print 384.

The module is pure: no database, no settings. The database computes one ``ElementTally`` per element
(sum of the answers and number of respondents who answered); individual responses never reach it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from layanan.survey.elements import ANSWER_VALUES, ELEMENT_KEYS

Weighting = Literal["exact", "permen"]
WEIGHTINGS: tuple[Weighting, ...] = ("exact", "permen")

BASE_VALUE = 25  # *nilai dasar*: index value (1–4) × 25 = IKM (25–100)

# Lowest rounded IKM of each grade, best first (interval table of Permen PANRB 14/2017).
GRADE_THRESHOLDS: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal("88.31")),
    ("B", Decimal("76.61")),
    ("C", Decimal("65.00")),
)
LOWEST_GRADE = "D"

GRADE_LABELS: dict[str, Promise] = {
    "A": pgettext_lazy("skm grade", "Very good"),
    "B": pgettext_lazy("skm grade", "Good"),
    "C": pgettext_lazy("skm grade", "Poor"),
    "D": pgettext_lazy("skm grade", "Not good"),
}

# Krejcie & Morgan: chi-square for 1 degree of freedom at 5 %, population proportion, margin of error.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction("0.05")


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, ties away from zero (0.005 → 0.01), exactly.

    The rounding is done on integers, so no precision is lost whatever the size of the value:
    ``Fraction(78375, 1000)`` → ``Decimal("78.38")``, ``Fraction(475, 6)`` (79.1666…) →
    ``Decimal("79.17")``. The result always has exactly ``places`` decimals.
    """
    if isinstance(value, bool) or not isinstance(value, Fraction | Decimal | int):
        raise TypeError(f"round_half_up() takes a Fraction, Decimal or int, not {type(value).__name__}")
    if places < 0:
        raise ValueError("places must be 0 or more")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"cannot round {value}")
    scaled = Fraction(value) * 10**places
    negative = scaled < 0
    numerator, denominator = abs(scaled.numerator), scaled.denominator
    rounded = (2 * numerator + denominator) // (2 * denominator)
    digits = tuple(int(digit) for digit in str(rounded))
    return Decimal((int(negative and rounded != 0), digits, -places))


def grade_for(ikm: Decimal) -> str:
    """The grade (``"A"`` … ``"D"``) of an IKM, by the interval table.

    The IKM is first rounded half up to two decimals (a no-op for a rounded IKM), then:
    A if ≥ 88.31, B if ≥ 76.61, C if ≥ 65.00, else D.
    """
    rounded = round_half_up(ikm, 2)
    for grade, lowest in GRADE_THRESHOLDS:
        if rounded >= lowest:
            return grade
    return LOWEST_GRADE


def grade_label(grade: str) -> Promise:
    """The performance (*kinerja*) label of a grade: A Very good … D Not good (translated)."""
    return GRADE_LABELS[grade]


@dataclass(frozen=True)
class ElementTally:
    """For one element: the sum of the answers (1–4) and the number of respondents who answered."""

    key: str
    total: int
    answered: int


@dataclass(frozen=True)
class ElementScore:
    key: str
    total: int
    answered: int
    nrr: Fraction | None  # None when nobody answered the element

    @property
    def nrr_display(self) -> Decimal | None:
        """The NRR rounded half up to two decimals, for display only (never computed with)."""
        return None if self.nrr is None else round_half_up(self.nrr, 2)


@dataclass(frozen=True)
class IndexScore:
    elements: tuple[ElementScore, ...]  # all nine, in questionnaire order (U1 … U9)
    weighting: Weighting
    weight: Fraction  # applied to the NRR of each element scored
    index_value: Fraction  # nilai indeks, unrounded
    ikm_exact: Fraction  # index_value × 25, unrounded
    ikm: Decimal  # ikm_exact rounded half up to two decimals
    grade: str  # "A" … "D", from ``ikm``
    elements_scored: int  # X: elements with at least one answer

    @property
    def grade_label(self) -> Promise:
        return grade_label(self.grade)

    def lowest(self, n: int = 3) -> tuple[ElementScore, ...]:
        """The ``n`` answered elements with the lowest NRR; ties in questionnaire order."""
        ranked = sorted(
            (element.nrr, position, element)
            for position, element in enumerate(self.elements)  # questionnaire order
            if element.nrr is not None
        )
        return tuple(element for _nrr, _position, element in ranked[: max(n, 0)])


def _check_tally(tally: ElementTally) -> None:
    for name in ("total", "answered"):
        number = getattr(tally, name)
        if isinstance(number, bool) or not isinstance(number, int):
            raise ValueError(f"{tally.key}: {name} must be an integer, not {number!r}")
        if number < 0:
            raise ValueError(f"{tally.key}: {name} must not be negative ({number})")
    lowest, highest = min(ANSWER_VALUES) * tally.answered, max(ANSWER_VALUES) * tally.answered
    if not lowest <= tally.total <= highest:
        raise ValueError(
            f"{tally.key}: a total of {tally.total} is impossible for {tally.answered} answers "
            f"(it must be between {lowest} and {highest})"
        )


def weight_for(elements_scored: int, weighting: Weighting = "exact") -> Fraction:
    """The weight of each element: 1/X exactly, or 1/X cut to two decimals (``permen``)."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}; use one of {', '.join(WEIGHTINGS)}")
    if elements_scored < 1:
        raise ValueError("at least one element must be scored")
    exact = Fraction(1, elements_scored)
    return exact if weighting == "exact" else Fraction(math.floor(exact * 100), 100)


def score(tallies: Iterable[ElementTally], weighting: Weighting = "exact") -> IndexScore | None:
    """The index of a survey from one tally per element (see the module docstring for the rules).

    Elements without a tally count as not answered. ``None`` when no element has any answer.
    Raises ``ValueError`` for an unknown weighting, an unknown or repeated element key, or a tally
    that no set of answers 1–4 can produce.
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}; use one of {', '.join(WEIGHTINGS)}")
    by_key: dict[str, ElementTally] = {}
    for tally in tallies:
        if tally.key not in ELEMENT_KEYS:
            raise ValueError(f"unknown element {tally.key!r}")
        if tally.key in by_key:
            raise ValueError(f"element {tally.key!r} is tallied twice")
        _check_tally(tally)
        by_key[tally.key] = tally

    elements = []
    for key in ELEMENT_KEYS:
        tally = by_key.get(key, ElementTally(key, 0, 0))
        nrr = Fraction(tally.total, tally.answered) if tally.answered else None
        elements.append(ElementScore(key, tally.total, tally.answered, nrr))
    nrrs = [element.nrr for element in elements if element.nrr is not None]
    if not nrrs:
        return None

    weight = weight_for(len(nrrs), weighting)
    index_value = sum((nrr * weight for nrr in nrrs), Fraction(0))
    ikm_exact = index_value * BASE_VALUE
    ikm = round_half_up(ikm_exact, 2)
    return IndexScore(
        elements=tuple(elements),
        weighting=weighting,
        weight=weight,
        index_value=index_value,
        ikm_exact=ikm_exact,
        ikm=ikm,
        grade=grade_for(ikm),
        elements_scored=len(nrrs),
    )


def minimum_sample(population: int) -> int:
    """Krejcie & Morgan minimum number of respondents for a population of ``population``.

    S = λ²·N·P·Q / (d²·(N − 1) + λ²·P·Q), λ² = 3.841, P = Q = 0.5, d = 0.05, computed exactly and
    rounded to the nearest integer, half up. Between the rows of the published table we use the
    formula (nearest integer), which reproduces every row of the table.
    """
    if isinstance(population, bool) or not isinstance(population, int):
        raise TypeError("population must be an integer")
    if population < 0:
        raise ValueError("population must not be negative")
    if population == 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    sample = spread * population / (MARGIN**2 * (population - 1) + spread)
    return (2 * sample.numerator + sample.denominator) // (2 * sample.denominator)


def tallies_from_rows(rows: Iterable[Mapping[str, int | None]]) -> list[ElementTally]:
    """One tally per element (questionnaire order) from in-memory rows keyed by element key.

    A key that is missing or ``None`` in a row means the respondent left that element blank. Raises
    ``ValueError`` for an unknown key or an answer other than 1–4. ``rows`` is consumed once, so a
    generator keeps the memory use constant.
    """
    totals = dict.fromkeys(ELEMENT_KEYS, 0)
    answered = dict.fromkeys(ELEMENT_KEYS, 0)
    for row in rows:
        for key, value in row.items():
            if key not in totals:
                raise ValueError(f"unknown element {key!r}")
            if value is None:
                continue
            if isinstance(value, bool) or value not in ANSWER_VALUES:
                raise ValueError(f"{key}: {value!r} is not an answer (1–4)")
            totals[key] += value
            answered[key] += 1
    return [ElementTally(key, totals[key], answered[key]) for key in ELEMENT_KEYS]
