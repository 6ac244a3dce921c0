"""Logging filter that keeps personal data out of every log line.

NIK and KK numbers (16 digits, also grouped by four), phone numbers (``08…``, ``62…``, ``+62…``,
with or without spaces and dashes) and e-mail addresses are replaced before a record is
formatted, whatever code logged them: in the message, its arguments and an attached traceback.
It also stamps the request id on each record.
"""

from __future__ import annotations

import logging
import re

from layanan.core.requestcontext import current_request_id

_PATTERNS = [
    (re.compile(r"(?<!\d)\d{4}([ .-]?)\d{4}\1\d{4}\1\d{4}(?!\d)"), "[NIK/KK]"),
    (re.compile(r"(?<![\w.+])(?:\+62|62|0)[ -]?8(?:[ -]?\d){7,11}(?!\d)"), "[PHONE]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
]
_FORMATTER = logging.Formatter()


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not break the caller
            message = f"{record.msg} {record.args!r}"
            record.msg, record.args = message, None
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        # The formatter would render the traceback later, unfiltered: render and redact it now.
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
