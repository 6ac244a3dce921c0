"""Every catalogue is complete and compiled, and the public pages answer in the chosen language."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import Client

import layanan

LAYANAN_DIR = Path(layanan.__file__).resolve().parent
CATALOGUES = sorted(LAYANAN_DIR.glob("**/locale/id/LC_MESSAGES/django.po"))
Translations = dict[tuple[str | None, str], tuple[str, ...]]


def _catalogue_id(path: Path) -> str:
    return str(path.relative_to(LAYANAN_DIR))


def _translations(entries: list[polib.POEntry] | list[polib.MOEntry]) -> Translations:
    """(context, source) -> translation (one item, or every plural form in order)."""
    found: Translations = {}
    for entry in entries:
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural, key=int))
            found[(entry.msgctxt, entry.msgid)] = (entry.msgid_plural, *forms)
        else:
            found[(entry.msgctxt, entry.msgid)] = (entry.msgstr,)
    return found


def test_the_project_catalogue_is_checked() -> None:
    assert LAYANAN_DIR / "locale/id/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_catalogue_id)
def test_catalogue_has_no_empty_translation(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))

    empty = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (
            (entry.msgid_plural and not (entry.msgstr_plural and all(entry.msgstr_plural.values())))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]

    assert empty == [], f"{_catalogue_id(po_path)}: untranslated entries"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_catalogue_id)
def test_catalogue_has_no_fuzzy_entry(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))

    fuzzy = [entry.msgid for entry in catalogue if not entry.obsolete and "fuzzy" in entry.flags]

    assert not catalogue.metadata_is_fuzzy, f"{_catalogue_id(po_path)}: the header is marked fuzzy"
    assert fuzzy == [], f"{_catalogue_id(po_path)}: fuzzy entries"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_catalogue_id)
def test_compiled_catalogue_matches_its_source(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_catalogue_id(po_path)} is not compiled: run compilemessages"
    source = polib.pofile(str(po_path))
    compiled = polib.mofile(str(mo_path))

    expected = _translations(source.translated_entries())
    actual = _translations(list(compiled))

    stale = sorted(key for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key))
    assert stale == [], f"{_catalogue_id(mo_path)} differs from its .po: run compilemessages"


PUBLIC_PAGES = [
    ("/", "Public services in one place", "Layanan publik dalam satu tempat"),
    ("/aksesibilitas/", "Accessibility statement", "Pernyataan aksesibilitas"),
    ("/privasi/", "How we look after your personal data", "Cara kami menjaga data pribadi Anda"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "english", "indonesian"), PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["en", "id"])
def test_public_page_answers_in_chosen_language(
    client: Client, language: str, path: str, english: str, indonesian: str
) -> None:
    client.cookies["layanan_language"] = language

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<html lang="{language}"[ >]', html)
    expected, other = (english, indonesian) if language == "en" else (indonesian, english)
    assert f"<h1>{expected}</h1>" in html
    assert other not in html
    assert ("Skip to main content" if language == "en" else "Langsung ke konten utama") in html
