from __future__ import annotations

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_catalogue_is_complete_and_compiled() -> None:
    catalogue = polib.pofile(str(CATALOGUE))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert not catalogue.metadata_is_fuzzy
    assert all(all(form.strip() for form in e.msgstr_plural.values()) for e in catalogue if e.msgid_plural)
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))}
    assert all(compiled.get(e.msgid) == e.msgstr for e in catalogue if not e.msgid_plural)
