"""PDF rendering (WeasyPrint, imported lazily), the verification QR code and its URL.

WeasyPrint loads pango, harfbuzz and fontconfig through cffi when it is imported. Importing it here
only inside :func:`render_pdf` keeps the platform starting on a machine without those libraries;
the issuing step then gets a :class:`PdfUnavailable` that says what to install.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import segno

from layanan.documents.signing import SignedStamp

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core"
VERIFICATION_PATH = "/verifikasi/"
DOCUMENT_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,40}$")

# Indirection so tests can simulate a machine without the system libraries.
_import_module = importlib.import_module


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are not installed."""


def load_weasyprint() -> ModuleType:
    """Import WeasyPrint, or raise :class:`PdfUnavailable` naming what to install."""
    try:
        return _import_module("weasyprint")
    except ImportError as exc:
        raise PdfUnavailable(
            "PDF output needs the Python package weasyprint (.venv/bin/pip install weasyprint) and the "
            f"Debian packages: apt-get install -y {DEBIAN_PACKAGES}"
        ) from exc
    except OSError as exc:
        raise PdfUnavailable(
            "PDF output needs the pango system libraries that WeasyPrint loads; install the Debian "
            f"packages: apt-get install -y {DEBIAN_PACKAGES} ({exc})"
        ) from exc


def pdf_available() -> bool:
    try:
        load_weasyprint()
    except PdfUnavailable:
        return False
    return True


def _url_fetcher(weasyprint_urls: ModuleType, base_dir: Path | None) -> Any:
    """A fetcher that never touches the network: ``data:`` URLs, and files under ``base_dir``.

    Templates are ours, but the values in them are not; a stray ``<img src="http://169.254...">``
    or ``file:///etc/passwd`` must not be fetched while rendering.
    """
    allowed = {"data", "file"} if base_dir is not None else {"data"}

    class _Fetcher(weasyprint_urls.URLFetcher):  # type: ignore[name-defined]
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme not in allowed:
                raise ValueError(f"fetching {scheme!r} URLs is not allowed while rendering a PDF")
            if scheme == "file":
                assert base_dir is not None
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(base_dir):
                    raise ValueError("file URL outside the template base directory")
            return super().fetch(url, headers)

    return _Fetcher(allowed_protocols=allowed, allow_redirects=False, timeout=5)


def render_pdf(html: str, *, base_url: str | Path | None = None) -> bytes:
    """Render HTML to PDF bytes. ``base_url`` may be a local directory for relative images/CSS.

    Raises :class:`PdfUnavailable` when WeasyPrint cannot be loaded.
    """
    weasyprint = load_weasyprint()
    base_dir: Path | None = None
    base: str | None = None
    if base_url is not None:
        base_dir = Path(base_url).resolve()
        base = base_dir.as_uri() + "/"
    fetcher = _url_fetcher(_import_module("weasyprint.urls"), base_dir)
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
    pdf = document.write_pdf()
    if not isinstance(pdf, bytes):  # pragma: no cover - write_pdf() without target returns bytes
        raise TypeError("WeasyPrint did not return PDF bytes")
    return pdf


def qr_svg(url: str, *, scale: int = 4, title: str | None = None) -> str:
    """The QR code of ``url`` as an inline ``<svg>`` element (paths only, no scripts)."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=scale, border=4, title=title, svgclass="verification-qr")
    return str(svg)


def verification_url(
    site_url: str, document_id: str, stamp: SignedStamp | None, *, path: str = VERIFICATION_PATH
) -> str:
    """The public verification URL printed as the QR code.

    It carries only the short public document id, the key id and the signature, never personal
    data; the verification page looks the document up by id and compares the signature.
    With ``stamp=None`` the URL holds the document id only: that is the URL to print as the QR
    code on the PDF itself, whose signature cannot exist before the PDF does.
    """
    parts = urlsplit(site_url)
    if parts.scheme not in {"https", "http"} or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("site_url must be an absolute http(s) URL without query or fragment")
    if not DOCUMENT_ID_RE.match(document_id):
        raise ValueError("document_id must be a short public id ([A-Za-z0-9-], at most 40 characters)")
    url = f"{site_url.rstrip('/')}/{path.strip('/')}/{quote(document_id, safe='')}/"
    if stamp is None:
        return url
    return f"{url}?{urlencode({'k': stamp.key_id, 's': stamp.signature})}"
