"""``layanan skm_score FILE.csv``: the SKM index of a CSV file of answers (no database)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from layanan.survey.management.commands.skm_score import Command

# Oracle of domain-facts §1.6, with a respondent column the command ignores.
ORACLE_CSV = """\
Responden,U1,U2,U3,U4,U5,U6,U7,U8,U9
R1,4,4,3,4,3,3,4,3,2
R2,3,3,3,4,3,3,3,3,3
R3,4,3,2,4,4,4,4,3,3
R4,2,3,3,4,3,3,3,2,2
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "skm.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command(Command(), str(path), *args, stdout=out)
    return out.getvalue()


def lines(output: str) -> list[str]:
    return output.splitlines()


def test_oracle_exact(tmp_path: Path) -> None:
    output = run(write(tmp_path, ORACLE_CSV))

    assert lines(output) == [
        "Respondents: 4",
        "U1 Requirements: answered by 4, NRR 3.25",
        "U2 Systems, mechanisms and procedures: answered by 4, NRR 3.25",
        "U3 Completion time: answered by 4, NRR 2.75",
        "U4 Cost or fee: answered by 4, NRR 4.00",
        "U5 Service products: answered by 4, NRR 3.25",
        "U6 Competence of the staff: answered by 4, NRR 3.25",
        "U7 Conduct of the staff: answered by 4, NRR 3.50",
        "U8 Facilities and infrastructure: answered by 4, NRR 2.75",
        "U9 Handling of complaints, suggestions and feedback: answered by 4, NRR 2.50",
        "Weighting: exact, 1/X; 9 of 9 elements scored, weight 1/9 = 0.1111",
        "Index value: 3.1667",
        "IKM: 79.17",
        "Grade: B (Good)",
    ]


def test_oracle_permen(tmp_path: Path) -> None:
    output = run(write(tmp_path, ORACLE_CSV), "--weighting", "permen")

    assert "Weighting: as printed in the regulation, 1/X to two decimals; 9 of 9 elements" in output
    assert "weight 0.11\n" in output
    assert "Index value: 3.1350\n" in output
    assert "IKM: 78.38\n" in output
    assert "Grade: B (Good)\n" in output


def test_explicit_exact_weighting_is_the_default(tmp_path: Path) -> None:
    path = write(tmp_path, ORACLE_CSV)

    assert run(path, "--weighting=exact") == run(path)


def test_unknown_weighting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run(write(tmp_path, ORACLE_CSV), "--weighting", "0.111")


def test_semicolon_delimiter(tmp_path: Path) -> None:
    output = run(write(tmp_path, ORACLE_CSV.replace(",", ";")))

    assert "Respondents: 4\n" in output
    assert "IKM: 79.17\n" in output


def test_byte_order_mark_and_lowercase_header(tmp_path: Path) -> None:
    text = ORACLE_CSV.replace("U", "u").replace("\n", "\r\n")
    path = write(tmp_path, text, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    output = run(path)

    assert "Respondents: 4\n" in output
    assert "U1 Requirements: answered by 4, NRR 3.25\n" in output
    assert "IKM: 79.17\n" in output


def test_columns_in_any_order_with_spaces(tmp_path: Path) -> None:
    text = "U9 ; U8;U7;U6;U5;U4;U3;U2;U1;Catatan\n2;3;4;3;3;4;3;4;4;cepat, ramah\n"

    output = run(write(tmp_path, text))

    assert "U1 Requirements: answered by 1, NRR 4.00\n" in output
    assert "U9 Handling of complaints, suggestions and feedback: answered by 1, NRR 2.00\n" in output


def test_blank_cells_are_not_answered(tmp_path: Path) -> None:
    text = """\
U1,U2,U3,U4,U5,U6,U7,U8,U9
4,4,,,3,3,4,3,2
3,3,3,,3,3,3,3,
4,3,2,, 4 ,4,4,3,3
2,3,3,,3,3,3,2,2
,,,,,,,,
"""
    output = run(write(tmp_path, text))

    assert "Respondents: 4\n" in output  # the row of empty cells is skipped
    assert "U3 Completion time: answered by 3, NRR 2.67\n" in output
    assert "U4 Cost or fee: answered by nobody, left out\n" in output
    assert "U5 Service products: answered by 4, NRR 3.25\n" in output
    assert "U9 Handling of complaints, suggestions and feedback: answered by 3, NRR 2.33\n" in output
    assert "8 of 9 elements scored, weight 1/8 = 0.1250\n" in output


def test_short_rows_are_blank_at_the_end(tmp_path: Path) -> None:
    text = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4\n"

    output = run(write(tmp_path, text))

    assert "3 of 9 elements scored" in output
    assert "IKM: 100.00\n" in output
    assert "Grade: A (Very good)\n" in output


def test_numbers_use_a_dot_in_indonesian_too(tmp_path: Path) -> None:
    with translation.override("id"):
        output = run(write(tmp_path, ORACLE_CSV))

    assert "79.17" in output
    assert "79,17" not in output
    assert "3.1667" in output


@pytest.mark.parametrize("value", ["5", "0", "x", "3.5", "3,0"])
def test_bad_value_names_line_and_column(tmp_path: Path, value: str) -> None:
    text = ORACLE_CSV.replace("R3,4,3,2,", f'R3,4,3,"{value}",')

    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, text))

    message = str(raised.value)
    assert "Line 4" in message  # header line 1, R1 line 2, R2 line 3, R3 line 4
    assert "U3" in message
    assert value in message


def test_missing_column(tmp_path: Path) -> None:
    text = ORACLE_CSV.replace(",U9", ",Saran")

    with pytest.raises(CommandError, match="U9"):
        run(write(tmp_path, text))


def test_repeated_column(tmp_path: Path) -> None:
    text = "U1,U2,U3,U4,U5,U6,U7,U8,U9,u1\n" + "3,3,3,3,3,3,3,3,3,3\n"

    with pytest.raises(CommandError, match="U1"):
        run(write(tmp_path, text))


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="empty"):
        run(write(tmp_path, ""))


def test_no_answers_at_all(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no index"):
        run(write(tmp_path, "U1,U2,U3,U4,U5,U6,U7,U8,U9,Nama\n,,,,,,,,,Ani\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nope.csv")


def test_not_utf8(tmp_path: Path) -> None:
    text = "Nama;U1;U2;U3;U4;U5;U6;U7;U8;U9\nPérez;3;3;3;3;3;3;3;3;3\n"

    with pytest.raises(CommandError, match="UTF-8"):
        run(write(tmp_path, text, encoding="latin-1"))


def test_registered_under_its_name(tmp_path: Path) -> None:
    out = StringIO()

    call_command("skm_score", str(write(tmp_path, ORACLE_CSV)), "--weighting=permen", stdout=out)

    assert "IKM: 78.38\n" in out.getvalue()
