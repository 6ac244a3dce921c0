"""The one way to hand a person's stored document (a scan, a PDF) back to a browser.

* Images are shown inline under a sandboxing Content-Security-Policy: no scripts, forms, plugins,
  framing or requests, and a unique origin even if the bytes were HTML.
* PDFs are sent as downloads (``attachment``), opened by the person's PDF reader: Chrome refuses to
  show a PDF whose response carries ``sandbox`` (Chromium issue 413851), and a PDF shown inline
  would run in the site's origin. Uploaded PDFs are already refused when they carry active content
  (``layanan.core.uploads``).
* Always ``nosniff``, never cached, only the types the upload check lets in.
* The file name comes from the sanitised display name: an ASCII ``filename`` of safe characters
  and, when it differs, the exact name as RFC 5987 ``filename*``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

SERVED_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
IMAGE_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
DOWNLOAD_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()-]+")


def content_disposition(display_name: str, *, inline: bool) -> str:
    """``inline|attachment; filename="..."`` with an ASCII name of letters, digits, spaces and
    ``._()-`` only, plus the display name percent-encoded as ``filename*`` when it differs."""
    base, dot, extension = display_name.rpartition(".")
    if not dot:
        base, extension = display_name, ""
    ascii_base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    ascii_base = _UNSAFE_NAME.sub("_", ascii_base).strip(" ._")[:100] or "dokumen"
    ascii_extension = _UNSAFE_NAME.sub("", extension)[:10]
    safe = f"{ascii_base}.{ascii_extension}" if ascii_extension else ascii_base
    header = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    if safe != display_name:
        header += f"; filename*=UTF-8''{quote(display_name, safe='')}"
    return header


def document_response(content: bytes, *, content_type: str, display_name: str) -> HttpResponse:
    served_type = content_type if content_type in SERVED_TYPES else "application/octet-stream"
    is_image = served_type.startswith("image/")
    response = HttpResponse(content, content_type=served_type)
    response["Content-Disposition"] = content_disposition(display_name, inline=is_image)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = IMAGE_CSP if is_image else DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
