"""Checks of Open311 responses against the spec: JSON Schema for JSON, structure for XML."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def json_body(response: Any, schema: str) -> Any:
    """The JSON body, after checking its content type and validating it against ``schema``."""
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    errors = sorted(validator(schema).iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return data


def xml_root(response: Any, root: str, child: str | None = None) -> ElementTree.Element:
    """The XML document's root, after checking the declaration, the content type, the root's name
    (no namespace) and, for a container, that every child is ``child``."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(XML_DECLARATION)
    # Our own server's response in a test, not untrusted input.
    element = ElementTree.fromstring(response.content)  # noqa: S314
    assert element.tag == root
    if child is not None:
        assert all(item.tag == child for item in element)
    return element


def xml_errors(response: Any) -> list[tuple[str, str]]:
    root = xml_root(response, "errors", "error")
    return [(e.findtext("code") or "", e.findtext("description") or "") for e in root]


def error_codes(response: Any) -> list[int]:
    return [error["code"] for error in json_body(response, "errors")]
