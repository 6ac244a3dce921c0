"""Pure rules of Kemendagri region codes (no ORM).

A code is ``PP.KK.CC.DDDD``: province (first digit 1-9), regency or city (kabupaten 01-69, kota
71-99), district (01-99), village (first digit 1 kelurahan, 2 desa, 3 desa adat). A code stops at
any level: ``"33"``, ``"33.73"``, ``"33.73.04"``, ``"33.73.04.1001"``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION_CODE = re.compile(
    r"^[1-9]\d"  # province
    r"(\.(0[1-9]|[1-6]\d|7[1-9]|[89]\d)"  # regency 01-69, city 71-99
    r"(\.(0[1-9]|[1-9]\d)"  # district
    r"(\.[123](?!000)\d{3})?)?)?$"  # village: 1 kelurahan, 2 desa, 3 desa adat
)

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4


def is_valid_region_code(code: str) -> bool:
    """Whether ``code`` is a well-formed dotted Kemendagri code of any level."""
    return bool(REGION_CODE.fullmatch(code))


def validate_region_code(code: str) -> None:
    """Field validator: raise ``ValidationError(code="invalid_region_code")`` for a malformed code."""
    if not is_valid_region_code(code):
        raise ValidationError(
            _("%(code)s is not a Kemendagri region code (for example 33.73.04.1001)."),
            code="invalid_region_code",
            params={"code": code},
        )


def level_of(code: str) -> int:
    """1 province, 2 regency/city, 3 district, 4 village."""
    return code.count(".") + 1


def parent_code(code: str) -> str | None:
    """The code one level up, or None for a province."""
    return code.rpartition(".")[0] or None


def province_of(code: str) -> str:
    """The two-digit province code a region belongs to."""
    return code[:2]
