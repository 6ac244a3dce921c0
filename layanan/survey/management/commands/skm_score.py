"""``layanan skm_score FILE.csv [--weighting exact|permen]``: the SKM index of a CSV of answers.

For surveys run outside the platform (paper forms typed into a spreadsheet, another tool's export).
The file has a header row with the columns ``U1`` … ``U9`` (any case; other columns are ignored),
one respondent per row. UTF-8 with or without a byte-order mark; the delimiter is ``,`` or ``;``
(Indonesian spreadsheets often export ``;``), taken from the header row. A blank cell means the
respondent did not answer that element; any other cell must be 1, 2, 3 or 4. Rows with every cell
blank (left by spreadsheets at the end of a sheet) are skipped.

The rules are those of ``layanan.survey.scoring``. The file is read as a stream: only the running
sums per element are kept. Numbers are printed with a dot as decimal separator, whatever the
language, so they can be pasted into a spreadsheet or a report as they are.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from layanan.survey.elements import ANSWER_VALUES, BY_CODE, BY_KEY, ELEMENT_KEYS
from layanan.survey.scoring import WEIGHTINGS, IndexScore, round_half_up, score, tallies_from_rows

ANSWERS = {str(value): value for value in ANSWER_VALUES}


def sniff_delimiter(header: str) -> str:
    """``;`` if the header row has more semicolons than commas, else ``,``."""
    return ";" if header.count(";") > header.count(",") else ","


class Answers:
    """The answers of a CSV file, one mapping per respondent keyed by element key, streamed.

    ``respondents`` counts the rows read so far. Raises ``CommandError`` for a missing or repeated
    ``U`` column and for a cell that is neither blank nor 1–4 (naming its line and column).
    """

    def __init__(self, handle: TextIO) -> None:
        first_line = handle.readline()
        if not first_line.strip():
            raise CommandError(_("The file is empty: the first row must name the columns U1 to U9."))
        self.reader = csv.reader(itertools.chain([first_line], handle), delimiter=sniff_delimiter(first_line))
        header = next(self.reader)
        self.columns: dict[int, str] = {}  # position in the row → element key
        seen: dict[str, str] = {}  # element code → column as written
        for position, name in enumerate(header):
            code = name.strip().upper()
            if code not in BY_CODE:
                continue
            if code in seen:
                raise CommandError(
                    _("The columns %(first)s and %(second)s are both %(code)s.")
                    % {"first": seen[code], "second": name.strip(), "code": code}
                )
            seen[code] = name.strip()
            self.columns[position] = BY_CODE[code].key
        missing = [code for code in BY_CODE if code not in seen]
        if missing:
            raise CommandError(
                _("The first row has no column %(missing)s; it must name the columns U1 to U9.")
                % {"missing": ", ".join(missing)}
            )
        self.respondents = 0

    def __iter__(self) -> Iterator[dict[str, int | None]]:
        for row in self.reader:
            if not any(cell.strip() for cell in row):
                continue
            self.respondents += 1
            answers: dict[str, int | None] = {}
            for position, key in self.columns.items():
                cell = row[position].strip() if position < len(row) else ""
                if not cell:
                    answers[key] = None
                elif cell in ANSWERS:
                    answers[key] = ANSWERS[cell]
                else:
                    raise CommandError(
                        _(
                            "Line %(line)d, column %(column)s: “%(value)s” is not an answer; "
                            "write 1, 2, 3 or 4, or leave the cell blank."
                        )
                        % {"line": self.reader.line_num, "column": BY_KEY[key].code, "value": cell}
                    )
            yield answers


class Command(BaseCommand):
    help = (
        "Compute the satisfaction index (SKM/IKM, Permen PANRB 14/2017) of a CSV file of answers: one "
        "respondent per row, columns U1 to U9 with answers 1-4 (blank = not answered), delimiter "
        "',' or ';', UTF-8. Prints the NRR of each element, the index value, the IKM and the grade. "
        "Numbers are printed with a dot as decimal separator, whatever the language."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv", help="CSV file with a header row naming U1 to U9.")
        parser.add_argument(
            "--weighting",
            choices=WEIGHTINGS,
            default="exact",
            help=(
                "Weight per element: 'exact' = 1/X (default), 'permen' = 1/X to two decimals as "
                "the regulation prints it (1/9 = 0.11). X = number of elements answered by someone."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                answers = Answers(handle)
                tallies = tallies_from_rows(answers)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                _("%(path)s is not UTF-8 text; save it from the spreadsheet as “CSV UTF-8”.") % {"path": path}
            ) from error
        except csv.Error as error:
            raise CommandError(
                _("%(path)s is not a valid CSV file: %(error)s") % {"path": path, "error": error}
            ) from error

        result = score(tallies, options["weighting"])
        self.stdout.write(_("Respondents: %(count)d") % {"count": answers.respondents})
        if result is None:
            raise CommandError(_("No respondent answered any element: there is no index to compute."))
        self.write_result(result)

    def write_result(self, result: IndexScore) -> None:
        for element in result.elements:
            info = BY_KEY[element.key]
            if element.nrr_display is None:
                self.stdout.write(
                    _("%(code)s %(name)s: answered by nobody, left out")
                    % {"code": info.code, "name": info.name}
                )
            else:
                self.stdout.write(
                    _("%(code)s %(name)s: answered by %(answered)d, NRR %(nrr)s")
                    % {
                        "code": info.code,
                        "name": info.name,
                        "answered": element.answered,
                        "nrr": element.nrr_display,
                    }
                )
        weight = result.weight
        if result.weighting == "exact":
            method = _("exact, 1/X")
            written = f"{weight.numerator}/{weight.denominator} = {round_half_up(weight, 4)}"
        else:
            method = _("as printed in the regulation, 1/X to two decimals")
            written = str(round_half_up(weight, 2))
        self.stdout.write(
            _("Weighting: %(method)s; %(scored)d of %(total)d elements scored, weight %(weight)s")
            % {
                "method": method,
                "scored": result.elements_scored,
                "total": len(ELEMENT_KEYS),
                "weight": written,
            }
        )
        self.stdout.write(_("Index value: %(value)s") % {"value": round_half_up(result.index_value, 4)})
        self.stdout.write(_("IKM: %(ikm)s") % {"ikm": result.ikm})
        self.stdout.write(
            _("Grade: %(grade)s (%(label)s)") % {"grade": result.grade, "label": result.grade_label}
        )
