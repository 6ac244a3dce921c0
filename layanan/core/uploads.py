"""The one upload check: every capability that accepts a file from a person (the applications'
document vault, complaint attachments, ...) calls ``check_upload`` and stores only what it returns.

Rules (the why is in ``docs/uploads.md``):

* At most ``max_bytes + 1`` bytes are ever read; an empty file or a larger one is refused.
* The type comes from the content (magic bytes), never from the client's file name or the browser's
  content type. When the extension claims an allowed type but the content is something else (an
  executable, a ZIP/Office file, HTML, ...) the file is refused as ``mismatch``. When the content is
  an allowed type the file is accepted under the *content's* canonical extension, whatever the
  extension said (a PNG named ``ktp.jpg`` is stored and shown as a PNG).
* Images (JPEG, PNG) are fully decoded with Pillow after a pixel-count check made on the header
  alone (decompression bombs), turned upright from their EXIF orientation, scaled down to at most
  ``max_side`` pixels on the longest side and re-encoded to the same format. Re-encoding drops all
  metadata (EXIF with GPS position, XMP, comments, text chunks); only the colour profile is kept.
* PDFs are parsed with pypdf and refused when encrypted, without pages, over ``max_pdf_pages``
  pages, or carrying active content (JavaScript, launch/import/submit/remote actions, embedded
  files, rich media, XFA forms). Every object of the file is inspected, not only the catalog. The
  original bytes are kept: PDFs are not rewritten.
* The storage name is a random token plus the canonical extension; the client's file name survives
  only as a sanitised ``display_name`` (no path, no control or bidi characters, at most 100
  characters).

Refusals are ``ValidationError`` with a ``code`` (``UPLOAD_ERROR_CODES``) and a translated message
that tells the person what to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED: frozenset[str] = frozenset({"pdf", "jpeg", "png"})
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: any phone photo at its normal setting, ~120 MB decoded
MAX_IMAGE_SIDE = 4000  # longest side after re-encoding; enough for a legible A4 scan at 300+ dpi
MAX_PDF_PAGES = 100
MAX_PDF_OBJECTS = 200_000  # a PDF with more objects than this is refused as damaged
JPEG_QUALITY = 85
MAX_DISPLAY_NAME = 100
_READ_CHUNK = 64 * 1024

UPLOAD_ERROR_CODES = frozenset(
    {
        "too_large",
        "empty",
        "not_allowed",
        "mismatch",
        "damaged",
        "encrypted_pdf",
        "pdf_active_content",
        "too_many_pages",
        "image_too_large",
    }
)


@dataclass(frozen=True)
class _Kind:
    name: str
    label: str  # what people call it
    extension: str  # canonical extension used for storage
    content_type: str
    magic: bytes
    claimed_by: frozenset[str]  # extensions that claim this kind


_KINDS: dict[str, _Kind] = {
    "pdf": _Kind("pdf", "PDF", "pdf", "application/pdf", b"%PDF-", frozenset({"pdf"})),
    "jpeg": _Kind(
        "jpeg", "JPG", "jpg", "image/jpeg", b"\xff\xd8\xff", frozenset({"jpg", "jpeg", "jpe", "jfif"})
    ),
    "png": _Kind("png", "PNG", "png", "image/png", b"\x89PNG\r\n\x1a\n", frozenset({"png"})),
}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}

# Action types that run code, start programs, read or send data, or open other files.
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE", "/RichMediaExecute"}
)
# Keys whose mere presence means scripts, embedded files, rich media or XFA forms.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/XFA"})
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/3D"})

MESSAGES = {
    "too_large": _("The file is larger than %(max)s MB. Upload a smaller file."),
    "empty": _("The file is empty. Upload the document again."),
    "not_allowed": _("This type of file cannot be uploaded. Upload the document as %(types)s."),
    "mismatch": _("The file is not a real %(claimed)s. Upload the document again as %(types)s."),
    "damaged": _("The file is damaged and cannot be read. Upload the document again."),
    "encrypted_pdf": _(
        "The PDF is protected with a password. Save it again without a password and upload that file."
    ),
    "pdf_active_content": _(
        "The PDF contains scripts, attached files or automatic actions, which are not allowed. "
        "Save or print it again as a new PDF and upload that file."
    ),
    "too_many_pages": _("The PDF has more than %(max)s pages. Split it or upload only the pages needed."),
    "image_too_large": _(
        "The image is too large (more than %(max)s megapixels). "
        "Take the photo or scan again at a lower resolution."
    ),
}
_OR = _("%(items)s or %(last)s")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed ``check_upload``: store ``content`` under ``safe_name``."""

    kind: str  # "pdf", "jpeg" or "png"
    content_type: str
    extension: str  # canonical, without the dot: "pdf", "jpg", "png"
    content: bytes  # the bytes to store (re-encoded for images, original for PDFs)
    sha256: str  # hex digest of ``content``
    size: int  # len(content)
    safe_name: str  # random token + canonical extension; the only name used for storage
    display_name: str  # the client's name, sanitised, for showing only

    def as_file(self) -> ContentFile[bytes]:
        """The content as a Django ``File`` named ``safe_name``, for ``storage.save`` or
        ``FieldFile.save(checked.safe_name, checked.as_file())``."""
        return ContentFile(self.content, name=self.safe_name)


def check_upload(
    uploaded_file: Readable,
    *,
    allowed: frozenset[str] = DEFAULT_ALLOWED,
    max_bytes: int,
    max_pixels: int = MAX_IMAGE_PIXELS,
    max_side: int = MAX_IMAGE_SIDE,
    max_pdf_pages: int = MAX_PDF_PAGES,
) -> CheckedUpload:
    """Check an uploaded file and return what may be stored, or raise ``ValidationError``."""
    unknown = allowed - _KINDS.keys()
    if unknown or not allowed:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")

    client_name = str(getattr(uploaded_file, "name", "") or "")
    data = _read_bounded(uploaded_file, max_bytes)
    claimed = _claimed_kind(client_name)
    kind = _sniff(data)

    if kind is None:
        if claimed is not None:
            logger.warning("upload refused: content does not match the extension", extra={"claimed": claimed})
            raise _error("mismatch", claimed=_KINDS[claimed].label, types=_types_text(allowed))
        raise _error("not_allowed", types=_types_text(allowed))
    if kind not in allowed:
        raise _error("not_allowed", types=_types_text(allowed))

    if kind == "pdf":
        _check_pdf(data, max_pdf_pages=max_pdf_pages)
        content = data
    else:
        content = _reencode_image(data, kind, max_pixels=max_pixels, max_side=max_side)

    spec = _KINDS[kind]
    return CheckedUpload(
        kind=kind,
        content_type=spec.content_type,
        extension=spec.extension,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        safe_name=f"{secrets.token_hex(16)}.{spec.extension}",
        display_name=display_name(client_name, kind),
    )


def display_name(client_name: str, kind: str) -> str:
    """The client's file name made safe to show: last path part only, no control or bidi
    characters, whitespace collapsed, ending in the canonical extension of the content (``KTP.JPEG``
    -> ``KTP.jpg``, a PNG sent as ``ktp.jpg`` -> ``ktp.png``, ``scan.exe`` holding a PDF ->
    ``scan.exe.pdf``), at most ``MAX_DISPLAY_NAME`` characters."""
    spec = _KINDS[kind]
    name = unicodedata.normalize("NFC", client_name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split())
    if _claimed_kind(name) is not None:
        name = name.rpartition(".")[0]  # a known extension gives way to the real content's one
    suffix = f".{spec.extension}"
    base = name.strip(" .")[: MAX_DISPLAY_NAME - len(suffix)].rstrip(" .") or "document"
    return base + suffix


# -- reading and sniffing -------------------------------------------------------------------------


def _read_bounded(uploaded_file: Readable, max_bytes: int) -> bytes:
    declared = getattr(uploaded_file, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(max_bytes)
    seek = getattr(uploaded_file, "seek", None)
    if callable(seek):
        with contextlib.suppress(OSError, ValueError):
            seek(0)
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = uploaded_file.read(min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise _error("empty")
    return data


def _sniff(data: bytes) -> str | None:
    for kind in _KINDS.values():
        if data.startswith(kind.magic):
            return kind.name
    return None


def _claimed_kind(client_name: str) -> str | None:
    _, dot, ext = client_name.rpartition(".")
    if not dot:
        return None
    ext = ext.strip().lower()
    for kind in _KINDS.values():
        if ext in kind.claimed_by:
            return kind.name
    return None


# -- images ---------------------------------------------------------------------------------------


def _has_end_marker(data: bytes, kind: str) -> bool:
    """The image's end marker is there (JPEG EOI, PNG IEND).

    Pillow's own truncation check is a process-wide switch that other libraries turn off
    (WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` on import), so a cut-off upload
    is caught here, independently of it. Some cameras append bytes after the JPEG end marker, so
    it is looked for in the file's last 64 KiB rather than at the very end.
    """
    if kind == "jpeg":
        return b"\xff\xd9" in data[-65536:]
    return data.rfind(b"IEND") != -1


def _reencode_image(data: bytes, kind: str, *, max_pixels: int, max_side: int) -> bytes:
    fmt = _PIL_FORMATS[kind]
    if not _has_end_marker(data, kind):
        raise _error("damaged")
    try:
        # Header only: Image.open reads the size without decoding pixels.
        with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise _image_too_large(max_pixels)
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[fmt]) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            icc_profile = img.info.get("icc_profile")
            transparency = img.info.get("transparency")
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _image_too_large(max_pixels) from None
    except Exception:  # noqa: BLE001 - hostile input makes decoders raise anything; all mean damaged
        raise _error("damaged") from None

    try:
        return _encode(upright, kind, max_side=max_side, icc_profile=icc_profile, transparency=transparency)
    except Exception:  # noqa: BLE001 - an odd mode or a decoder quirk: refuse, never a 500
        raise _error("damaged") from None


def _encode(
    upright: Image.Image, kind: str, *, max_side: int, icc_profile: object, transparency: object
) -> bytes:
    if upright.width > max_side or upright.height > max_side:
        upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    upright.info = {}  # drop EXIF, XMP, comments, text chunks: nothing is written from .info
    options: dict[str, Any] = {}
    if isinstance(icc_profile, bytes):
        options["icc_profile"] = icc_profile
    out = io.BytesIO()
    if kind == "jpeg":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
            options.pop("icc_profile", None)  # a CMYK profile does not describe the converted pixels
        upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    else:
        if transparency is not None and upright.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
        upright.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


def _image_too_large(max_pixels: int) -> ValidationError:
    return _error("image_too_large", max=number_format(max_pixels // 1_000_000))


# -- PDF ------------------------------------------------------------------------------------------


def _check_pdf(data: bytes, *, max_pdf_pages: int) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:  # noqa: BLE001 - pypdf raises many types on broken files; all mean damaged
        raise _error("damaged") from None
    if encrypted:
        raise _error("encrypted_pdf")
    try:
        pages = len(reader.pages)
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001
        raise _error("damaged") from None
    if active:
        logger.warning("upload refused: PDF with active content")
        raise _error("pdf_active_content")
    if pages == 0:
        raise _error("damaged")
    if pages > max_pdf_pages:
        raise _error("too_many_pages", max=number_format(max_pdf_pages))


def _pdf_roots(reader: PdfReader) -> Iterator[PdfObject]:
    """The trailer and every object the cross-reference tables list (also those no page uses)."""
    yield reader.trailer
    for generation, ids in reader.xref.items():
        for idnum in ids:
            yield IndirectObject(idnum, generation, reader)
    for idnum in reader.xref_objStm:
        yield IndirectObject(idnum, 0, reader)


def _has_active_content(reader: PdfReader) -> bool:
    stack: list[Any] = list(_pdf_roots(reader))
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _error("damaged")
        if isinstance(obj, DictionaryObject):  # also stream dictionaries
            if _is_active_dictionary(obj):
                return True
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return False


def _is_active_dictionary(obj: DictionaryObject) -> bool:
    keys = {str(k) for k in dict.keys(obj)}
    if keys & _ACTIVE_KEYS:
        return True
    if _name(dict.get(obj, "/S")) in _ACTIVE_ACTIONS:
        return True
    return bool({_name(dict.get(obj, "/Type")), _name(dict.get(obj, "/Subtype"))} & _ACTIVE_TYPES)


def _name(value: object) -> str:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if value is not None else ""


# -- messages -------------------------------------------------------------------------------------


def _types_text(allowed: frozenset[str]) -> str:
    """ "PDF, JPG or PNG", translated when the message is shown (not when it is raised)."""
    labels = [spec.label for name, spec in _KINDS.items() if name in allowed]
    if len(labels) == 1:
        return labels[0]
    joined: str = lazy(lambda: str(_OR) % {"items": ", ".join(labels[:-1]), "last": labels[-1]}, str)()
    return joined


def _too_large(max_bytes: int) -> ValidationError:
    megabytes = max_bytes / (1024 * 1024)
    shown = number_format(int(megabytes)) if megabytes == int(megabytes) else number_format(megabytes, 1)
    return _error("too_large", max=shown)


def _error(code: str, **params: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)
