from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from lokal import wilayah

from layanan.regions.codes import is_valid_region_code, level_of, parent_code, validate_region_code


@pytest.mark.parametrize(
    "code",
    ["33", "33.73", "33.73.04", "33.73.04.1001", "11.01.01.2001", "91.03.01.3001", "96.01", "31.71"],
)
def test_well_formed_codes_are_accepted(code: str) -> None:
    assert is_valid_region_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "3",
        "03",  # province codes start at 1
        "3373",  # undotted
        "33.7",
        "33.00",  # no regency 00
        "33.70",  # 01-69 kabupaten, 71-99 kota: 70 is neither
        "33.73.00",
        "33.73.04.4001",  # village first digit is 1, 2 or 3
        "33.73.04.1000",
        "33.73.04.100",
        "33.73.04.1001.1",
        "33.73.04.1001 ",
        "aa.bb",
    ],
)
def test_malformed_codes_are_rejected(code: str) -> None:
    assert not is_valid_region_code(code)

    with pytest.raises(ValidationError) as raised:
        validate_region_code(code)
    assert raised.value.code == "invalid_region_code"


def test_every_code_in_the_kemendagri_source_is_well_formed() -> None:
    codes = [region.code for region in wilayah.list_wilayah()]
    frontier = list(codes)
    while frontier:
        frontier = [child.code for code in frontier for child in wilayah.list_wilayah(code)]
        codes.extend(frontier)

    assert len(codes) == 38 + 514 + 7285 + 83762
    assert [code for code in codes if not is_valid_region_code(code)] == []


def test_level_and_parent_follow_the_dots() -> None:
    assert [level_of(code) for code in ("33", "33.73", "33.73.04", "33.73.04.1001")] == [1, 2, 3, 4]
    assert parent_code("33.73.04.1001") == "33.73.04"
    assert parent_code("33.73") == "33"
    assert parent_code("33") is None
