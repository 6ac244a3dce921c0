from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)

from layanan.core.uploads import CheckedUpload, check_upload, display_name

MB = 1024 * 1024


# -- sample builders --------------------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_bytes(size: tuple[int, int] = (40, 20), *, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is None:
        image.save(out, "JPEG")
    else:
        image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (30, 10), mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 1, *, tweak: object = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if callable(tweak):
        tweak(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR announcing a huge image, followed by one tiny IDAT: no pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def refused(file: SimpleUploadedFile | io.BytesIO, **kwargs: Any) -> ValidationError:
    kwargs.setdefault("max_bytes", 5 * MB)
    with pytest.raises(ValidationError) as caught:
        check_upload(file, **kwargs)
    return caught.value


def message(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


# -- refused content ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ktp.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200),  # Windows exe
        ("ktp.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 200),  # Linux executable
        ("foto.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("foto.JPEG", b"MZ" + b"\0" * 100),
    ],
)
def test_renamed_executable_or_html_is_refused_as_mismatch(name: str, data: bytes) -> None:
    error = refused(upload(name, data, "application/pdf"))
    assert error.code == "mismatch"
    assert "is not a real" in message(error)
    assert "Upload the document again as PDF, JPG or PNG." in message(error)


def test_renamed_executable_message_names_the_claimed_type() -> None:
    error = refused(upload("ktp.pdf", b"MZ" + b"\0" * 100))
    assert message(error) == "The file is not a real PDF. Upload the document again as PDF, JPG or PNG."


def test_zip_renamed_png_is_refused_as_mismatch() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    error = refused(upload("scan.png", out.getvalue(), "image/png"))
    assert error.code == "mismatch"
    assert "not a real PNG" in message(error)


def test_unknown_extension_and_content_is_not_allowed() -> None:
    error = refused(upload("setup.exe", b"MZ" + b"\0" * 100))
    assert error.code == "not_allowed"
    assert message(error) == "This type of file cannot be uploaded. Upload the document as PDF, JPG or PNG."


def test_real_type_outside_allowed_is_not_allowed_and_message_lists_allowed() -> None:
    error = refused(upload("ktp.png", png_bytes()), allowed=frozenset({"pdf"}))
    assert error.code == "not_allowed"
    assert message(error).endswith("Upload the document as PDF.")
    error = refused(upload("x.doc", b"\xd0\xcf\x11\xe0"), allowed=frozenset({"pdf", "png"}))
    assert message(error).endswith("as PDF or PNG.")


def test_too_large_says_the_limit_and_reads_no_more_than_needed() -> None:
    class Stream(io.BytesIO):
        read_total = 0

        def read(self, size: int | None = -1, /) -> bytes:
            chunk = super().read(size)
            Stream.read_total += len(chunk)
            return chunk

    stream = Stream(b"%PDF-1.7\n" + b"0" * (3 * MB))
    error = refused(stream, max_bytes=MB)
    assert error.code == "too_large"
    assert message(error) == "The file is larger than 1 MB. Upload a smaller file."
    assert Stream.read_total == MB + 1


def test_too_large_by_declared_size_and_fractional_limit() -> None:
    file = upload("a.pdf", b"%PDF-" + b"0" * 2 * MB)
    with translation.override("en"):
        error = refused(file, max_bytes=int(1.5 * MB))
    assert error.code == "too_large"
    assert "1.5 MB" in message(error)
    with translation.override("id"):  # the number is formatted in the language of the request
        assert error.params == {"max": "1.5"}
        assert "1,5" in str(refused(file, max_bytes=int(1.5 * MB)).params)


def test_empty_file_is_refused() -> None:
    error = refused(upload("ktp.pdf", b""))
    assert error.code == "empty"
    assert message(error) == "The file is empty. Upload the document again."


# -- images ---------------------------------------------------------------------------------------------


def test_jpeg_is_reencoded_without_exif_gps_and_turned_upright() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90 degrees clockwise to display
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (6.0, 10.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (106.0, 49.0, 0.0),
    }
    original = jpeg_bytes((40, 20), exif=exif)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample really has a position

    checked = check_upload(upload("foto ktp.jpeg", original, "image/jpeg"), max_bytes=5 * MB)

    assert (checked.kind, checked.content_type, checked.extension) == ("jpeg", "image/jpeg", "jpg")
    assert b"Exif" not in checked.content
    assert b"PhoneMaker" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as after:
        assert after.format == "JPEG"
        assert not after.getexif()
        assert after.size == (20, 40)  # orientation applied before the EXIF was dropped
    assert checked.size == len(checked.content)
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    assert checked.display_name == "foto ktp.jpg"


def test_png_is_accepted_and_reencoded_without_text_chunks() -> None:
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Siti Rahma, Jl. Merdeka 1")
    Image.new("RGB", (30, 10), (1, 2, 3)).save(out, "PNG", pnginfo=info)
    checked = check_upload(upload("KK.PNG", out.getvalue(), "image/png"), max_bytes=MB)
    assert (checked.kind, checked.extension, checked.content_type) == ("png", "png", "image/png")
    assert b"Siti" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as after:
        assert (after.format, after.size) == ("PNG", (30, 10))
    assert checked.safe_name.endswith(".png")
    assert checked.display_name == "KK.png"


def test_content_decides_the_type_when_the_extension_names_another_allowed_type() -> None:
    checked = check_upload(upload("ktp.jpg", png_bytes(), "image/jpeg"), max_bytes=MB)
    assert checked.kind == "png"
    assert checked.safe_name.endswith(".png")
    assert checked.display_name == "ktp.png"


def test_big_image_is_scaled_down_to_the_longest_side() -> None:
    checked = check_upload(upload("scan.png", png_bytes((500, 100), "L")), max_bytes=MB, max_side=200)
    with Image.open(io.BytesIO(checked.content)) as after:
        assert after.size == (200, 40)


def test_truncated_image_is_damaged() -> None:
    data = jpeg_bytes((400, 300))
    error = refused(upload("ktp.jpg", data[: len(data) // 2]))
    assert error.code == "damaged"
    assert message(error) == "The file is damaged and cannot be read. Upload the document again."


def test_truncated_image_is_damaged_even_when_pillow_loads_truncated_images(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint sets it on import
    data = jpeg_bytes((400, 300))

    assert refused(upload("ktp.jpg", data[: len(data) // 2])).code == "damaged"
    assert refused(upload("ktp.png", png_bytes()[:-20])).code == "damaged"


def test_png_with_bad_crc_is_damaged() -> None:
    data = bytearray(png_bytes())
    data[30] ^= 0xFF  # inside IHDR: checksum no longer matches
    assert refused(upload("ktp.png", bytes(data))).code == "damaged"


@pytest.mark.parametrize(("width", "height"), [(8000, 6000), (100_000, 100_000)])
def test_huge_dimensions_are_refused_from_the_header_without_decoding(width: int, height: int) -> None:
    data = png_header(width, height)
    assert len(data) < 100
    error = refused(upload("ktp.png", data))
    assert error.code == "image_too_large"
    assert "more than 40 megapixels" in message(error)


# -- PDF ------------------------------------------------------------------------------------------------


def test_pdf_is_accepted_and_kept_byte_for_byte() -> None:
    data = pdf_bytes(2)
    checked = check_upload(upload("Akta Lahir.pdf", data, "application/pdf"), max_bytes=MB)
    assert isinstance(checked, CheckedUpload)
    assert (checked.kind, checked.extension, checked.content_type) == ("pdf", "pdf", "application/pdf")
    assert checked.content == data
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.display_name == "Akta Lahir.pdf"
    stored = checked.as_file()
    assert stored.name == checked.safe_name
    assert stored.read() == data


def test_pdf_with_a_plain_link_and_a_destination_open_action_is_accepted() -> None:
    def tweak(writer: PdfWriter) -> None:
        page = writer.pages[0]
        writer._root_object[NameObject("/OpenAction")] = ArrayObject(  # noqa: SLF001
            [page.indirect_reference, NameObject("/Fit")]
        )
        writer.add_uri(0, "https://layanan.example.id/", RectangleObject([10, 10, 100, 30]))

    assert check_upload(upload("a.pdf", pdf_bytes(tweak=tweak)), max_bytes=MB).kind == "pdf"


def _js_action(script: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def _open_action_js(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_js_action("app.alert(1)"))  # noqa: SLF001


def _names_js(writer: PdfWriter) -> None:
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(_js_action("1"))])}  # noqa: SLF001
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})  # noqa: SLF001


def _launch_on_page_open(writer: PdfWriter) -> None:
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): launch})


def _attachment(writer: PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ\0\0")


def _orphan_js(writer: PdfWriter) -> None:
    # Referenced by no page or catalog entry, only listed in the cross-reference table.
    writer._add_object(_js_action("app.alert(2)"))  # noqa: SLF001


@pytest.mark.parametrize("tweak", [_open_action_js, _names_js, _launch_on_page_open, _attachment, _orphan_js])
def test_pdf_with_active_content_is_refused(tweak: object) -> None:
    error = refused(upload("surat.pdf", pdf_bytes(tweak=tweak)))
    assert error.code == "pdf_active_content"
    assert "scripts, attached files or automatic actions" in message(error)


def test_pdf_javascript_hidden_behind_hex_escaped_names_is_refused() -> None:
    data = (
        pdf_bytes(tweak=_open_action_js).replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    )
    assert b"/JavaScript" not in data
    assert refused(upload("surat.pdf", data)).code == "pdf_active_content"


def test_encrypted_pdf_is_refused() -> None:
    data = pdf_bytes(tweak=lambda writer: writer.encrypt("rahasia"))
    assert PdfReader(io.BytesIO(data)).is_encrypted
    error = refused(upload("ktp.pdf", data))
    assert error.code == "encrypted_pdf"
    assert "protected with a password" in message(error)


def test_pdf_page_limit() -> None:
    error = refused(upload("big.pdf", pdf_bytes(3)), max_pdf_pages=2)
    assert error.code == "too_many_pages"
    assert "more than 2 pages" in message(error)


def test_pdf_without_pages_or_garbled_is_damaged() -> None:
    assert refused(upload("a.pdf", pdf_bytes(0))).code == "damaged"
    assert refused(upload("a.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)).code == "damaged"


# -- names ----------------------------------------------------------------------------------------------


def test_path_traversal_name_is_never_used_for_storage() -> None:
    checked = check_upload(upload("../../etc/passwd.pdf", pdf_bytes()), max_bytes=MB)
    assert checked.display_name == "passwd.pdf"
    assert "/" not in checked.safe_name
    assert ".." not in checked.safe_name
    assert "passwd" not in checked.safe_name
    name, ext = checked.safe_name.split(".")
    assert ext == "pdf"
    assert len(name) == 32
    int(name, 16)
    again = check_upload(upload("../../etc/passwd.pdf", pdf_bytes()), max_bytes=MB)
    assert again.safe_name != checked.safe_name


@pytest.mark.parametrize(
    ("client_name", "kind", "expected"),
    [
        ("C:\\Users\\siti\\Desktop\\KTP.JPEG", "jpeg", "KTP.jpg"),
        ("ktp\u202egpj.exe", "pdf", "ktpgpj.exe.pdf"),  # right-to-left override removed
        ("a\x00b\r\n.pdf", "pdf", "ab.pdf"),
        ("", "png", "document.png"),
        ("...", "pdf", "document.pdf"),
        ("x" * 300 + ".pdf", "pdf", "x" * 96 + ".pdf"),
        ("  surat   pernyataan .pdf ", "pdf", "surat pernyataan.pdf"),
    ],
)
def test_display_name_is_sanitised(client_name: str, kind: str, expected: str) -> None:
    result = display_name(client_name, kind)
    assert result == expected
    assert len(result) <= 100


def test_unknown_allowed_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown upload kinds"):
        check_upload(upload("a.pdf", pdf_bytes()), allowed=frozenset({"exe"}), max_bytes=MB)


def test_cmyk_jpeg_and_palette_png_with_transparency_are_accepted() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (16, 16), (0, 50, 50, 0)).save(out, "JPEG")
    checked = check_upload(upload("scan.jpg", out.getvalue()), max_bytes=MB)
    with Image.open(io.BytesIO(checked.content)) as after:
        assert after.mode == "RGB"

    stamp = Image.new("P", (16, 16), 3)
    stamp.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    stamp.putpixel((0, 0), 1)
    out = io.BytesIO()
    stamp.save(out, "PNG", transparency=3)
    checked = check_upload(upload("stempel.png", out.getvalue()), max_bytes=MB)
    with Image.open(io.BytesIO(checked.content)) as after:
        assert after.mode == "P"
        rgba = after.convert("RGBA")
        assert rgba.getpixel((0, 0)) == (255, 0, 0, 255)
        assert rgba.getpixel((5, 5)) == (0, 0, 255, 0)  # still transparent
