"""The two Open311 formats: XML (required by the spec) and JSON (the Spark convention).

A response is built once as plain data (dicts, lists, strings, numbers, booleans, ``None``) and
rendered by the format the URL asked for:

* **XML**: ``<?xml version="1.0" encoding="utf-8"?>``, no namespace. A list becomes a container
  whose children are named by ``LIST_ITEMS`` (``services`` → ``service``); ``None`` becomes an
  empty element; booleans ``true``/``false``. Characters XML 1.0 cannot carry are dropped.
* **JSON**: the same data; a container is always an array, even with one child, and ``None`` is
  ``null``.

Errors use the standard body: ``errors`` → ``error`` (``code``, ``description``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal
from xml.etree import ElementTree

from django.http import HttpResponse

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")
CONTENT_TYPES: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# The element name of one child of each container.
LIST_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
}
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# Not allowed in XML 1.0 (control characters other than tab, newline and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        item = LIST_ITEMS[element.tag]
        for child in value:
            _fill(ElementTree.SubElement(element, item), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> str:
    element = ElementTree.Element(root)
    _fill(element, value)
    return _XML_DECLARATION + ElementTree.tostring(element, encoding="unicode")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def render(root: str, value: Any, fmt: Format, *, status: int = 200) -> HttpResponse:
    """``value`` as the document ``root`` in ``fmt``."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(status: int, descriptions: Iterable[str], fmt: Format) -> HttpResponse:
    """The standard error body with HTTP ``status``; one error per description."""
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render("errors", errors, fmt, status=status)
