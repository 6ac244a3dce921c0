"""Every string of the accounts app has an Indonesian translation, compiled, and not overridden."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.utils import translation

# polib ships no type stubs; imported by name so the check works with or without them.
polib: Any = importlib.import_module("polib")

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_catalogue_is_complete_and_compiled() -> None:
    catalogue = polib.pofile(str(CATALOGUE))

    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue if entry.fuzzy or entry.obsolete] == []
    assert catalogue.untranslated_entries() == []
    assert all(all(form.strip() for form in e.msgstr_plural.values()) for e in catalogue if e.msgid_plural)
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    assert {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled} == {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in catalogue
    }


def test_no_other_catalogue_overrides_these_translations() -> None:
    """Django's, the project's and earlier apps' catalogues win for an equal msgid: they must agree."""
    catalogue = polib.pofile(str(CATALOGUE))

    with translation.override("id"):
        shown = {
            entry.msgid: translation.pgettext(entry.msgctxt, entry.msgid)
            if entry.msgctxt
            else translation.gettext(entry.msgid)
            for entry in catalogue
            if not entry.msgid_plural
        }

    assert {msgid: text for msgid, text in shown.items() if text != catalogue.find(msgid).msgstr} == {}
