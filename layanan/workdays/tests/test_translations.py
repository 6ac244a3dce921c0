"""Every string of the workdays and regions apps has a real Indonesian translation, compiled."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

# polib ships no type stubs; imported by name so the check works with or without them.
polib: Any = importlib.import_module("polib")

APPS = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["workdays", "regions"])
def test_catalogue_is_complete_and_compiled(app: str) -> None:
    po_path = APPS / app / "locale" / "id" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))

    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po if e.fuzzy or e.obsolete] == []
    assert po.untranslated_entries() == []
    assert po.percent_translated() == 100
    compiled = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    assert compiled == {e.msgid: e.msgstr or e.msgstr_plural for e in po}
