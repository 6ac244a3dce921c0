"""Structural validation of the NIK (*Nomor Induk Kependudukan*), a pure function without the database.

A NIK is ``PP KK CC DDMMYY SSSS``: province, regency/city and district of first registration, birth
date (women: day + 40) and a serial. It has no check digit, so this only rejects numbers that cannot
be a NIK; whether a person holds it is known to Dukcapil only. The century of the birth year is not
in the number: both 19yy and 20yy are returned as candidates when they are real, past dates.

``lokal.nik.parse_nik`` parses the same structure and names the province; its own checks are not
enough on their own (it accepts regency 70, and names every bad day or month only "birth date"), so
each rule is checked here with its own error code and message.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lokal import PROVINCES
from lokal.nik import parse_nik

Sex = Literal["male", "female"]

NIK_LENGTH = 16
KK_NUMBER_LENGTH = 16
# What people type between digit groups: spaces (also non-breaking), dots and hyphens.
_SEPARATORS = re.compile(r"[\s.\-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class NikFacts:
    """What the structure of a valid NIK tells: region of first registration, sex, birth date."""

    nik: str
    province_code: str  # "32"
    regency_code: str  # "32.73" (Kemendagri dotted form)
    district_code: str  # "32.73.01"
    province_name: str
    sex: Sex
    birth_day: int
    birth_month: int
    birth_year_two_digits: int
    # Real dates of birth in 19yy and 20yy that are not in the future, oldest first.
    birth_date_candidates: tuple[datetime.date, ...]
    serial: str


def clean_digits(value: object) -> str:
    """The value with the separators people type (spaces, dots, hyphens) removed."""
    return _SEPARATORS.sub("", str(value or ""))


def validate_nik(value: object, *, today: datetime.date | None = None) -> NikFacts:
    """Validate a NIK by its structure and return what it encodes.

    Raises ``ValidationError`` with one of the codes ``required``, ``invalid_characters``,
    ``length``, ``province``, ``regency``, ``district``, ``day``, ``month``, ``date``, ``serial``.
    """
    digits = clean_digits(value)
    _check_format(digits)
    province, regency, district = digits[0:2], digits[2:4], digits[4:6]
    _check_region(province, regency, district)
    raw_day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    day, sex = _day_and_sex(raw_day, digits[6:8])
    _check_month(month, digits[8:10])
    candidates = _birth_date_candidates(day, month, year, today or timezone.localdate())
    if not candidates:
        raise ValidationError(
            _("Digits 7 to 12 of the NIK are not a real date of birth. Check them against your KTP."),
            code="date",
        )
    serial = digits[12:]
    if serial == "0000":
        raise ValidationError(_("The last 4 digits of the NIK cannot be 0000."), code="serial")
    parsed = parse_nik(digits)
    return NikFacts(
        nik=digits,
        province_code=province,
        regency_code=f"{province}.{regency}",
        district_code=f"{province}.{regency}.{district}",
        province_name=parsed.province or PROVINCES[province],
        sex=sex,
        birth_day=day,
        birth_month=month,
        birth_year_two_digits=year,
        birth_date_candidates=candidates,
        serial=serial,
    )


def validate_kk_number(value: object) -> str:
    """The family card (KK) number: 16 ASCII digits once separators are removed (no date rules:
    its middle part is the date the card was recorded, not a birth date)."""
    digits = clean_digits(value)
    if len(digits) != KK_NUMBER_LENGTH or not _ASCII_DIGITS.fullmatch(digits):
        raise ValidationError(
            _("The family card (KK) number has 16 digits (numbers only)."), code="kk_number"
        )
    return digits


def _check_format(digits: str) -> None:
    if not digits:
        raise ValidationError(_("Enter your NIK."), code="required")
    if not _ASCII_DIGITS.fullmatch(digits):
        raise ValidationError(_("The NIK can only contain the digits 0 to 9."), code="invalid_characters")
    if len(digits) != NIK_LENGTH:
        raise ValidationError(
            _("The NIK has 16 digits; you entered %(count)d."),
            code="length",
            params={"count": len(digits)},
        )


def _check_region(province: str, regency: str, district: str) -> None:
    if province not in PROVINCES:
        raise ValidationError(
            _("The first 2 digits of the NIK (%(digits)s) are not a province code. Check your NIK."),
            code="province",
            params={"digits": province},
        )
    # Kabupaten are numbered 01-69 and kota 71-99; 00 and 70 are never used.
    if regency in {"00", "70"}:
        raise ValidationError(
            _("Digits 3 and 4 of the NIK (%(digits)s) are not a regency or city code."),
            code="regency",
            params={"digits": regency},
        )
    if district == "00":
        raise ValidationError(
            _("Digits 5 and 6 of the NIK (%(digits)s) are not a district code."),
            code="district",
            params={"digits": district},
        )


def _day_and_sex(raw_day: int, shown: str) -> tuple[int, Sex]:
    # Women's NIKs carry the day of birth plus 40: 41-71. Days 32-40 and 72+ cannot occur.
    if 1 <= raw_day <= 31:
        return raw_day, "male"
    if 41 <= raw_day <= 71:
        return raw_day - 40, "female"
    raise ValidationError(
        _("Digits 7 and 8 of the NIK (%(digits)s) are not a day of birth (01 to 31, or 41 to 71 for women)."),
        code="day",
        params={"digits": shown},
    )


def _check_month(month: int, shown: str) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 9 and 10 of the NIK (%(digits)s) are not a month of birth (01 to 12)."),
            code="month",
            params={"digits": shown},
        )


def _birth_date_candidates(
    day: int, month: int, year: int, today: datetime.date
) -> tuple[datetime.date, ...]:
    candidates = []
    for century in (1900, 2000):
        full_year = century + year
        if day > calendar.monthrange(full_year, month)[1]:
            continue
        date = datetime.date(full_year, month, day)
        if date <= today:
            candidates.append(date)
    return tuple(candidates)
