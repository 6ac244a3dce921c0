from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pypdf
import pytest

from layanan.documents import pdf as pdf_module
from layanan.documents.pdf import (
    DEBIAN_PACKAGES,
    PdfUnavailable,
    load_weasyprint,
    pdf_available,
    qr_svg,
    render_pdf,
    verification_url,
)
from layanan.documents.signing import (
    Ed25519Signer,
    SignedStamp,
    Verdict,
    sha256_hex,
    sign_document,
    verify_pdf,
)

SEED = base64.b64encode(bytes(range(32))).decode()
SITE = "https://layanan.example.id"


def require_weasyprint() -> None:
    """Skip when WeasyPrint cannot load, but fail where CI promises the libraries."""
    try:
        load_weasyprint()
    except PdfUnavailable as exc:
        if os.environ.get("LAYANAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LAYANAN_REQUIRE_BROWSER=1 but WeasyPrint cannot load: {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def stamp() -> SignedStamp:
    signer = Ed25519Signer(f"k2025:{SEED}")
    return sign_document({"reference": "PBG-2026-000123-7"}, sha256_hex(b"%PDF-"), signer=signer)


def _fail_with(exc: BaseException) -> Callable[[str], ModuleType]:
    def importer(name: str) -> ModuleType:
        raise exc

    return importer


def test_missing_system_libraries_name_the_debian_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pdf_module, "_import_module", _fail_with(OSError("cannot load library 'libpango-1.0-0'"))
    )
    with pytest.raises(PdfUnavailable) as excinfo:
        render_pdf("<p>x</p>")
    message = str(excinfo.value)
    for package in [
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fontconfig",
        "fonts-dejavu-core",
    ]:
        assert package in message
    assert DEBIAN_PACKAGES in message
    assert pdf_available() is False


def test_missing_python_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "_import_module", _fail_with(ModuleNotFoundError("weasyprint")))
    with pytest.raises(PdfUnavailable, match="pip install weasyprint") as excinfo:
        load_weasyprint()
    assert DEBIAN_PACKAGES in str(excinfo.value)


def test_qr_svg_is_inline_svg_without_scripts() -> None:
    svg = qr_svg(f"{SITE}/verifikasi/DOC-1/?k=k1&s=abc", title="Verifikasi <dokumen>")
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "<path" in svg
    lowered = svg.lower()
    assert "<script" not in lowered
    assert "onload" not in lowered
    assert "javascript:" not in lowered
    assert "<?xml" not in lowered
    assert "&lt;dokumen&gt;" in svg


def test_verification_url_carries_only_id_key_and_signature(stamp: SignedStamp) -> None:
    url = verification_url(SITE + "/", "DOC-7F3K9Q", stamp)
    assert url == f"{SITE}/verifikasi/DOC-7F3K9Q/?k=k2025&s={stamp.signature}"
    assert "PBG" not in url
    assert "reference" not in url
    assert verification_url(SITE, "DOC-7F3K9Q", None) == f"{SITE}/verifikasi/DOC-7F3K9Q/"


@pytest.mark.parametrize("document_id", ["", "a/b", "3201010101010001 Budi", "x" * 41, "../etc"])
def test_verification_url_refuses_odd_document_ids(stamp: SignedStamp, document_id: str) -> None:
    with pytest.raises(ValueError, match="document_id"):
        verification_url(SITE, document_id, stamp)


@pytest.mark.parametrize("site", ["layanan.example.id", "javascript:alert(1)", f"{SITE}/?x=1", "ftp://x.id"])
def test_verification_url_refuses_odd_site_urls(stamp: SignedStamp, site: str) -> None:
    with pytest.raises(ValueError, match="site_url"):
        verification_url(site, "DOC-1", stamp)


def test_render_pdf_with_qr_and_signed_hash(tmp_path: Path) -> None:
    require_weasyprint()
    signer = Ed25519Signer(f"k2025:{SEED}")
    url = f"{SITE}/verifikasi/DOC-7F3K9Q/?k=k2025&s=abc"
    html = (
        "<!doctype html><html lang='id'><head><style>@page { size: A4 }</style></head><body>"
        "<h1>Surat Keterangan</h1><p>Nomor PBG-2026-000123-7</p>"
        f"<a href='{url}'>{qr_svg(url, title='Verifikasi')}</a></body></html>"
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert "Surat Keterangan" in page.extract_text()
    uris = [annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])]
    assert url in uris
    # The QR code is drawn as vector paths: hundreds of line segments, none without it.
    contents = page.get_contents()
    assert contents is not None
    assert contents.get_data().count(b" l\n") > 100
    plain = pypdf.PdfReader(io.BytesIO(render_pdf("<p>Surat Keterangan</p>"))).pages[0].get_contents()
    assert plain is not None
    assert plain.get_data().count(b" l\n") == 0

    stamp = sign_document({"reference": "PBG-2026-000123-7"}, sha256_hex(pdf), signer=signer)
    assert verify_pdf(pdf, stamp, public_keys=signer.public_keys()) is Verdict.VALID
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    assert verify_pdf(bytes(tampered), stamp, public_keys=signer.public_keys()) is Verdict.INVALID


def test_render_pdf_never_fetches_the_network_or_files_outside_base(tmp_path: Path) -> None:
    require_weasyprint()
    urls = pdf_module._import_module("weasyprint.urls")
    fetcher = pdf_module._url_fetcher(urls, None)
    for url in ["http://127.0.0.1/x.png", "https://example.org/x.css", "file:///etc/passwd", "ftp://x/y"]:
        with pytest.raises(ValueError, match="not allowed"):
            fetcher.fetch(url)

    (tmp_path / "ok.css").write_text("p { color: red }")
    scoped = pdf_module._url_fetcher(urls, tmp_path.resolve())
    response = scoped.fetch((tmp_path / "ok.css").as_uri())
    try:
        assert b"color" in response.read()
    finally:
        response.close()
    with pytest.raises(ValueError, match="outside"):
        scoped.fetch(Path("/etc/passwd").as_uri())
    with pytest.raises(ValueError, match="outside"):
        scoped.fetch((tmp_path / ".." / "x.css").as_uri())

    # A document referring to such resources still renders (WeasyPrint skips refused fetches).
    html = (
        "<p>x</p><img src='file:///etc/passwd'><img src='http://127.0.0.1/x.png'>"
        "<link rel=stylesheet href=ok.css>"
    )
    assert render_pdf(html, base_url=tmp_path).startswith(b"%PDF-")
