from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from layanan.core.logging import RedactPersonalDataFilter, redact
from layanan.core.requestcontext import current_request_id


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger wired like the production handler: the filter, then a formatter using request_id."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalDataFilter())
    handler.setFormatter(logging.Formatter("[%(request_id)s] %(message)s"))
    logger = logging.getLogger("layanan.tests.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("NIK 3273015508900009 found", "NIK [NIK/KK] found"),
        ("KK 3273 0155 0890 0009", "KK [NIK/KK]"),
        ("KK 3273-0155-0890-0009.", "KK [NIK/KK]."),
        ("call 081234567890", "call [PHONE]"),
        ("call +62 812-3456-7890 now", "call [PHONE] now"),
        ("call 6281234567890", "call [PHONE]"),
        ("write to siti.rahma+layanan@example.co.id", "write to [EMAIL]"),
        ("masked 3273********0009 and 0812*****890", "masked 3273********0009 and 0812*****890"),
        (
            "reference PMH-2026-000123, 17 digits 32730155089000091",
            "reference PMH-2026-000123, 17 digits 32730155089000091",
        ),
    ],
)
def test_redact(text: str, redacted: str) -> None:
    assert redact(text) == redacted


def test_personal_data_in_the_message_or_its_arguments_is_redacted(
    log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = log

    logger.info("citizen 3273015508900009 signed in")
    logger.info("sending code to %s and %s for %s", "081234567890", "siti@example.id", "3273015508900009")
    logger.info("profile %(nik)s", {"nik": "3273015508900009"})

    assert stream.getvalue().splitlines() == [
        "[-] citizen [NIK/KK] signed in",
        "[-] sending code to [PHONE] and [EMAIL] for [NIK/KK]",
        "[-] profile [NIK/KK]",
    ]


def test_a_traceback_is_redacted_too(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log

    try:
        raise ValueError("duplicate NIK 3273015508900009 for siti@example.id")
    except ValueError:
        logger.exception("could not save the profile")

    output = stream.getvalue()
    assert "could not save the profile" in output
    assert "ValueError: duplicate NIK [NIK/KK] for [EMAIL]" in output
    assert "3273015508900009" not in output
    assert "siti@example.id" not in output


def test_the_request_id_is_stamped_on_each_record(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log

    token = current_request_id.set("abcdef1234567890")
    try:
        logger.info("inside a request")
    finally:
        current_request_id.reset(token)
    logger.info("outside a request")

    assert stream.getvalue().splitlines() == ["[abcdef1234567890] inside a request", "[-] outside a request"]


def test_a_malformed_log_call_does_not_break_the_caller(log: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = log

    logger.info("two placeholders %s %s", "3273015508900009")

    assert "[NIK/KK]" in stream.getvalue()
    assert "3273015508900009" not in stream.getvalue()
