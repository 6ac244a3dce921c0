"""NIK structure rules, without the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from layanan.accounts.nik import validate_kk_number, validate_nik

TODAY = datetime.date(2026, 11, 23)


def _error_code(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_nik(value, today=TODAY)
    return str(caught.value.code)


def test_male_nik_gives_region_sex_and_birth_date() -> None:
    facts = validate_nik("3515140508680001", today=TODAY)

    assert facts.nik == "3515140508680001"
    assert (facts.province_code, facts.regency_code, facts.district_code) == ("35", "35.15", "35.15.14")
    assert facts.province_name == "Jawa Timur"
    assert facts.sex == "male"
    assert (facts.birth_day, facts.birth_month) == (5, 8)
    assert facts.birth_date_candidates == (datetime.date(1968, 8, 5),)  # 2068 is in the future
    assert facts.serial == "0001"


def test_womens_day_of_birth_is_plus_forty() -> None:
    facts = validate_nik("3515144508680002", today=TODAY)

    assert facts.sex == "female"
    assert facts.birth_day == 5
    assert facts.birth_date_candidates == (datetime.date(1968, 8, 5),)


@pytest.mark.parametrize(("day_digits", "day"), [("41", 1), ("55", 15), ("71", 31)])
def test_womens_days_41_to_71_are_days_1_to_31(day_digits: str, day: int) -> None:
    facts = validate_nik(f"327301{day_digits}0190" + "0009", today=TODAY)

    assert facts.sex == "female"
    assert facts.birth_date_candidates == (datetime.date(1990, 1, day),)


def test_both_centuries_are_candidates_when_both_are_past() -> None:
    facts = validate_nik("3273011203050001", today=TODAY)

    assert facts.birth_date_candidates == (datetime.date(1905, 3, 12), datetime.date(2005, 3, 12))


@pytest.mark.parametrize("typed", ["3515 1405 0868 0001", "3515.1405.0868.0001", " 3515-1405-0868-0001 "])
def test_spaces_dots_and_hyphens_typed_by_people_are_removed(typed: str) -> None:
    assert validate_nik(typed, today=TODAY).nik == "3515140508680001"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("35151405O8680001", "invalid_characters"),  # letter O instead of zero
        ("NIK3515140508680", "invalid_characters"),
        ("٣٥١٥١٤٠٥٠٨٦٨٠٠٠١", "invalid_characters"),  # Arabic-Indic digits are not ASCII
        ("351514050868000", "length"),  # 15 digits
        ("35151405086800011", "length"),  # 17 digits
    ],
)
def test_format_errors(value: str, code: str) -> None:
    assert _error_code(value) == code


@pytest.mark.parametrize("province", ["00", "10", "20", "37", "99"])
def test_unknown_province_is_rejected(province: str) -> None:
    assert _error_code(f"{province}15140508680001") == "province"


@pytest.mark.parametrize("regency", ["00", "70"])
def test_regency_00_and_70_are_rejected(regency: str) -> None:
    assert _error_code(f"35{regency}140508680001") == "regency"


@pytest.mark.parametrize("regency", ["01", "69", "71", "99"])
def test_regency_and_city_codes_are_accepted(regency: str) -> None:
    assert validate_nik(f"35{regency}140508680001", today=TODAY).regency_code == f"35.{regency}"


def test_district_00_is_rejected() -> None:
    assert _error_code("3515000508680001") == "district"


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_impossible_days_are_rejected(day: str) -> None:
    assert _error_code(f"351514{day}08680001") == "day"


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_invalid_month_is_rejected(month: str) -> None:
    assert _error_code(f"35151405{month}680001") == "month"


@pytest.mark.parametrize("digits", ["310490", "300290", "710490"])  # 31 April, 30 February, women's 31 April
def test_days_that_do_not_exist_in_the_month_are_rejected(digits: str) -> None:
    assert _error_code(f"351514{digits}0001") == "date"


def test_29_february_00_is_valid_because_2000_is_a_leap_year() -> None:
    facts = validate_nik("3515142902000001", today=TODAY)  # 1900 was not a leap year

    assert facts.birth_date_candidates == (datetime.date(2000, 2, 29),)


def test_29_february_of_a_leap_year_in_both_centuries() -> None:
    facts = validate_nik("3515146902040001", today=TODAY)  # woman, 29-02-(19|20)04

    assert facts.sex == "female"
    assert facts.birth_date_candidates == (datetime.date(1904, 2, 29), datetime.date(2004, 2, 29))


def test_29_february_of_a_year_that_is_never_leap_is_rejected() -> None:
    assert _error_code("3515142902010001") == "date"


def test_serial_0000_is_rejected() -> None:
    assert _error_code("3515140508680000") == "serial"


def test_errors_have_translatable_messages_naming_the_digits() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_nik("3515143208680001", today=TODAY)

    assert "32" in caught.value.messages[0]


@pytest.mark.parametrize("typed", ["3273010101200003", "3273 0101 0120 0003"])
def test_kk_number_is_16_digits(typed: str) -> None:
    assert validate_kk_number(typed) == "3273010101200003"


@pytest.mark.parametrize("typed", ["", "327301010120000", "32730101012000031", "3273O10101200003"])
def test_kk_number_errors(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_kk_number(typed)

    assert caught.value.code == "kk_number"
