from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_catalogue_is_complete_and_compiled() -> None:
    catalogue = polib.pofile(str(CATALOGUE))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert not catalogue.metadata_is_fuzzy
    assert all(all(form.strip() for form in e.msgstr_plural.values()) for e in catalogue if e.msgid_plural)
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))}
    assert all(compiled.get(e.msgid) == e.msgstr for e in catalogue if not e.msgid_plural)


def test_no_other_catalogue_shadows_these_translations() -> None:
    """Project and earlier apps' catalogues win over this one: an equal msgid there must agree."""
    catalogue = polib.pofile(str(CATALOGUE))

    with translation.override("id"):
        shadowed = {
            e.msgid: translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt else translation.gettext(e.msgid)
            for e in catalogue
            if not e.msgid_plural
        }

    assert {msgid: got for msgid, got in shadowed.items() if got != catalogue.find(msgid).msgstr} == {}
