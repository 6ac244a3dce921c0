"""Logging filter that keeps personal data out of every log line.

NIK and KK numbers (16 digits), phone numbers and e-mail addresses are replaced before a record
is formatted, whatever code logged them. It also stamps the request id on each record.
"""

from __future__ import annotations

import logging
import re

from layanan.core.requestcontext import current_request_id

_PATTERNS = [
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[NIK/KK]"),
    (re.compile(r"(?<![\w.])(?:\+62|62|0)8\d{7,11}(?!\d)"), "[PHONE]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
