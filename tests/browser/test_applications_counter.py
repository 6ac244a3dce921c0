"""The counter (assisted channel) in a real browser, in both languages, checked with axe-core after
every page load: a front-office officer signs in, searches the NIK of a walk-in citizen who has no
account, opens one for them with their consent, fills in the form on one page (the village picked
level by level without JavaScript, a scan uploaded), corrects an error and prints the receipt."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import VALID_NIK, region
from layanan.applications.models import Application
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.core.references import check_secret
from layanan.vault.models import VaultDocument

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
VILLAGE = "33.02.01.2001"


def _scan(folder: Path, name: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(out, "PNG")
    path = folder / name
    path.write_bytes(out.getvalue())
    return str(path)


def _submit(page: Any, axe: Axe, value: str = "") -> None:
    selector = (
        f'main button[type=submit][value="{value}"]' if value else "main form[method=post] button.button"
    )
    page.locator(selector).first.click()
    page.wait_for_load_state("load")
    axe(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_walk_in_citizen_at_the_counter(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    front_officer: User,
    unit_a: ServiceUnit,
    tmp_path: Path,
    language: str,
) -> None:
    service = service_with_adopted_standard(unit=unit_a, name="Kartu Keluarga", channel="both")
    region(VILLAGE, "Desa Karangsari")
    set_language(page, language)
    login_as(page, front_officer)

    # 1. The service (the only one, already chosen) and the NIK: a typo first.
    page.goto("/petugas/loket/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(f'input[name=service][value="{service.slug}"]').is_checked()
    page.fill("input[name=nik]", "3273 0155 0890")
    _submit(page, axe)
    assert page.locator(".error-summary").is_visible()
    page.fill("input[name=nik]", "3273 0155 0890 0009")
    _submit(page, axe)

    # 2. No account has this NIK: open one; consent forgotten first.
    assert page.url.endswith("/petugas/loket/warga/")
    assert "3273********0009" in page.content()
    assert VALID_NIK not in page.url
    page.fill("input[name=full_name]", "Wahyu Hidayat")
    page.fill("input[name=phone]", "0813 1111 2222")
    page.fill("textarea[name=address]", "Jl. Kenanga 5")
    _submit(page, axe)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("input[name=full_name]").input_value() == "Wahyu Hidayat"
    page.check("input[name=consent]")
    _submit(page, axe)

    # 3. The form on one page, prefilled from the new account.
    assert page.url.endswith("/petugas/loket/formulir/")
    assert page.locator("input[name=nama]").input_value() == "Wahyu Hidayat"
    assert page.locator("main h2").count() >= 3  # one heading per part of the form
    assert page.locator("input[name=alamat__street]").input_value() == "Jl. Kenanga 5"
    page.fill("input[name=alamat__street]", "Jl. Kenanga 5 RT 01/RW 02")
    for depth, code in enumerate(["33", "33.02", "33.02.01", VILLAGE]):
        level = ["province", "regency", "district", "village"][depth]
        page.select_option(f"select[name=alamat__{level}]", code)
        if depth < 3:
            _submit(page, axe, "pick:alamat")
    page.set_input_files("input[name=dok_1_ktp__upload]", _scan(tmp_path, "ktp.png"))
    page.set_input_files("input[name=dok_2_kk__upload]", _scan(tmp_path, "kk.png"))
    page.check("input[name=q_3][value=tidak]")
    _submit(page, axe, "submit")  # the declaration is not ticked yet

    assert page.locator(".error-summary").is_visible()
    assert Application.objects.count() == 0
    assert VaultDocument.objects.filter(document_type__in=["ktp", "kk"]).count() == 2
    assert page.locator("input[name=dok_1_ktp]:checked").count() == 1  # the scan is kept
    assert page.locator("input[name=alamat__street]").input_value() == "Jl. Kenanga 5 RT 01/RW 02"
    page.check("input[name=pernyataan]")
    _submit(page, axe, "submit")

    # 4. The receipt: reference, the tracking code once, print.
    application = Application.objects.get()
    assert page.url.endswith(f"/petugas/loket/tanda-terima/{application.reference}/")
    assert application.reference in page.locator(".panel-confirm").inner_text()
    secret = page.locator(".panel .reference").inner_text().strip()
    assert check_secret(secret, application.tracking_secret_digest)
    assert page.locator("[data-module=print]").is_visible()
    assert "0813*****222" in page.content()
    assert application.applicant is not None
    assert application.applicant.full_name == "Wahyu Hidayat"
    assert application.channel == Application.Channel.COUNTER
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert page.locator(".panel-confirm").is_visible()
