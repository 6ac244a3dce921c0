"""The vault pages: the list with the once-only data, uploading (errors, sending twice), opening a
file (owner only, safe headers), removing; the persona matrix and query counts."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.models import CitizenProfile, User
from layanan.audit.models import AuditEvent
from layanan.core.downloads import content_disposition
from layanan.core.testing import verified_client
from layanan.core.uploads import check_upload
from layanan.vault.actions import read_vault_document
from layanan.vault.models import VaultDocument
from layanan.vault.tests.factories import pdf_bytes, pdf_upload, png_upload, vault_document
from layanan.vault.views import public as views
from layanan.vault.views.public import SESSION_TOKENS

pytestmark = pytest.mark.django_db

NIK = "3273015508900009"
KK = "3273010101900003"
ADDRESS = "Jl. Merdeka 17 RT 01/RW 02"
PHONE = "+6281234567890"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
LIST_URL = "/akun/dokumen/"
UPLOAD_URL = "/akun/dokumen/unggah/"


@pytest.fixture
def profile(citizen: User) -> CitizenProfile:
    citizen.phone = PHONE
    citizen.save(update_fields=["phone"])
    return CitizenProfile.objects.create(user=citizen, nik=NIK, kk_number=KK, address=ADDRESS)


@pytest.fixture
def ktp(citizen: User) -> VaultDocument:
    return vault_document(citizen, "ktp")


def _client(request: pytest.FixtureRequest, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    user = request.getfixturevalue(persona)
    if user.kind == User.Kind.STAFF:
        return verified_client(user)
    client = Client()
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    return str(response.content.decode())


def _state() -> tuple[list[tuple[Any, ...]], int]:
    """Everything a vault page could change: the documents and the audit log."""
    rows = list(VaultDocument.objects.order_by("pk").values_list("pk", "removed_at", "document_type"))
    return rows, AuditEvent.objects.count()


def _token(client: Client, url: str = UPLOAD_URL) -> str:
    response = client.get(url)
    found = re.search(r'name="token" value="([^"]+)"', _text(response))
    assert found is not None
    return found.group(1)


def _post_upload(
    client: Client, token: str, *, kind: str = "ktp", upload: Any = None, url: str = UPLOAD_URL
) -> Any:
    data: dict[str, Any] = {"token": token, "document_type": kind}
    data["file"] = upload if upload is not None else png_upload()
    return client.post(url, data)


# --- Persona matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "list_status", "upload_status", "file_status", "remove_status"),
    [
        ("anonymous", 302, 302, 302, 302),
        ("citizen", 200, 200, 200, 200),
        ("other_citizen", 200, 200, 404, 404),
        ("front_officer", 403, 403, 404, 403),
        ("officer", 403, 403, 404, 403),
        ("unit_head", 403, 403, 404, 403),
        ("admin_user", 403, 403, 404, 403),
    ],
)
def test_who_may_open_which_page(
    request: pytest.FixtureRequest,
    ktp: VaultDocument,
    persona: str,
    list_status: int,
    upload_status: int,
    file_status: int,
    remove_status: int,
) -> None:
    client = _client(request, persona)
    urls = {
        reverse("vault:list"): list_status,
        reverse("vault:upload"): upload_status,
        reverse("vault:document", kwargs={"document": ktp.public_id}): file_status,
        reverse("vault:remove", kwargs={"document": ktp.public_id}): remove_status,
    }
    for url, expected in urls.items():
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith("/masuk/?next=")


@pytest.mark.parametrize("persona", ["anonymous", "other_citizen", "officer", "front_officer", "admin_user"])
def test_others_cannot_remove_or_upload_and_change_nothing(
    request: pytest.FixtureRequest, ktp: VaultDocument, persona: str
) -> None:
    client = _client(request, persona)
    before = _state()

    removed = client.post(reverse("vault:remove", kwargs={"document": ktp.public_id}))
    uploaded = client.post(UPLOAD_URL, {"token": "x", "document_type": "kk", "file": png_upload()})

    assert removed.status_code in (302, 403, 404)
    assert uploaded.status_code in (302, 403, 200)
    assert _state() == before
    if persona == "anonymous":
        assert removed["Location"].startswith("/masuk/")


def test_pages_are_in_the_vault_namespace_under_indonesian_paths(ktp: VaultDocument) -> None:
    assert reverse("vault:list") == LIST_URL
    assert reverse("vault:upload") == UPLOAD_URL
    assert reverse("vault:document", kwargs={"document": ktp.public_id}) == f"/akun/dokumen/{ktp.public_id}/"
    assert (
        reverse("vault:remove", kwargs={"document": ktp.public_id}) == f"/akun/dokumen/{ktp.public_id}/hapus/"
    )


# --- List --------------------------------------------------------------------------------------


def test_list_shows_the_once_only_data_masked(citizen_client: Client, profile: CitizenProfile) -> None:
    response = citizen_client.get(LIST_URL)

    page = _text(response)
    assert response.status_code == 200
    assert "Siti Rahmawati" in page
    assert "3273********0009" in page
    assert "3273********0003" in page
    assert "Jl. ************" in page
    assert "0812*****890" in page
    for secret in (NIK, KK, ADDRESS, "081234567890", "Merdeka"):
        assert secret not in page
    assert reverse("accounts:profile-edit") in page
    assert "no-store" in response["Cache-Control"]


def test_list_without_a_profile_says_not_given(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    response = citizen_client.get(LIST_URL)

    assert response.status_code == 200
    assert "You have not uploaded any documents yet." in _text(response)


def test_list_groups_documents_by_kind_with_their_details(
    citizen: User, other_citizen: User, citizen_client: Client
) -> None:
    kk = vault_document(citizen, "kk", upload=pdf_upload("Kartu Keluarga.pdf"))
    ktp_old = vault_document(citizen, "ktp", upload=png_upload("ktp lama.png"))
    ktp_new = vault_document(citizen, "ktp", upload=png_upload("ktp baru.png", colour=(1, 2, 3)))
    VaultDocument.objects.filter(pk=ktp_old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    removed = vault_document(citizen, "ijazah", upload=png_upload("ijazah.png"))
    removed.removed_at = timezone.now()
    removed.save()
    vault_document(other_citizen, "npwp", upload=png_upload("npwp budi.png"))
    citizen_client.cookies["layanan_language"] = "en"

    page = _text(citizen_client.get(LIST_URL))

    # Kinds in the order of the document type list: KTP before KK; newest first inside a kind.
    ktp_heading = page.index('<h3 id="kind-ktp">Identity card (KTP-el)</h3>')
    kk_heading = page.index('<h3 id="kind-kk">Family card (KK)</h3>')
    assert ktp_heading < page.index("ktp baru.png") < page.index("ktp lama.png")
    assert page.index("ktp lama.png") < kk_heading < page.index("Kartu Keluarga.pdf")
    assert "ijazah.png" not in page
    assert "Diploma" not in page
    assert "npwp budi.png" not in page
    for document in (kk, ktp_old, ktp_new):
        assert reverse("vault:document", kwargs={"document": document.public_id}) in page
        assert reverse("vault:remove", kwargs={"document": document.public_id}) in page
    assert page.count("Not used yet") == 3
    with translation.override("en"):
        assert f"<dd>{filesizeformat(kk.size)}</dd>" in page
    assert reverse("vault:upload") in page


def test_list_query_count_does_not_grow_with_documents(
    citizen: User, citizen_client: Client, profile: CitizenProfile, django_assert_num_queries: Any
) -> None:
    vault_document(citizen, "ktp")
    with CaptureQueriesContext(connection) as baseline:
        citizen_client.get(LIST_URL)
    for kind in ("kk", "akta_kelahiran", "ijazah", "npwp", "ktp", "kk"):
        vault_document(citizen, kind, upload=png_upload(f"{kind}.png"))

    with django_assert_num_queries(len(baseline.captured_queries)):
        response = citizen_client.get(LIST_URL)

    assert _text(response).count("/hapus/") == 7


# --- Upload ------------------------------------------------------------------------------------


def test_upload_page_offers_every_kind_and_a_token(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    response = citizen_client.get(UPLOAD_URL)

    page = _text(response)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert '<option value="kk">Family card (KK)</option>' in page
    assert 'accept="application/pdf,image/jpeg,image/png' in page
    assert "at most 5 MB" in page
    token = _token(citizen_client)
    assert citizen_client.session[SESSION_TOKENS][token] == ""


def test_upload_page_preselects_a_kind_from_the_address(citizen_client: Client) -> None:
    page = _text(citizen_client.get(UPLOAD_URL, {"jenis": "kk"}))
    unknown = _text(citizen_client.get(UPLOAD_URL, {"jenis": "<script>"}))

    assert '<option value="kk" selected>' in page
    assert re.findall(r'<option value="([^"]*)" selected>', unknown) == [""]


def test_uploading_stores_the_document_and_goes_to_the_list(citizen: User, citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    token = _token(citizen_client)

    response = _post_upload(citizen_client, token, kind="kk", upload=pdf_upload("KK Siti.pdf"))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    document = VaultDocument.objects.get()
    assert (document.owner, document.document_type, document.display_name) == (citizen, "kk", "KK Siti.pdf")
    assert read_vault_document(document) == pdf_bytes()
    assert AuditEvent.objects.filter(action="vault.document_added").count() == 1
    assert citizen_client.session[SESSION_TOKENS][token] == str(document.public_id)
    assert "“KK Siti.pdf” is now in your documents as “Family card (KK)”." in _text(
        citizen_client.get(LIST_URL)
    )


def test_uploading_returns_to_a_page_of_this_site(citizen_client: Client) -> None:
    url = f"{UPLOAD_URL}?next=/layanan/akta-kelahiran/ajukan/"
    token = _token(citizen_client, url)

    response = _post_upload(citizen_client, token, url=url)

    assert response["Location"] == "/layanan/akta-kelahiran/ajukan/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_uploading_never_returns_to_another_site(citizen_client: Client, target: str) -> None:
    url = f"{UPLOAD_URL}?next={target}"
    token = _token(citizen_client, url)

    response = _post_upload(citizen_client, token, url=url)

    assert response["Location"] == LIST_URL


def test_missing_kind_and_file_are_reported_on_their_fields(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    token = _token(citizen_client)
    before = _state()

    response = citizen_client.post(UPLOAD_URL, {"token": token, "document_type": ""})

    page = _text(response)
    assert response.status_code == 200
    assert "Choose the kind of document." in page
    assert "Choose the file to upload." in page
    assert 'id="id_file_error"' in page
    assert 'id="id_document_type_error"' in page
    assert f'name="token" value="{token}"' in page
    assert _state() == before


def test_an_unknown_kind_is_refused(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    token = _token(citizen_client)

    response = _post_upload(citizen_client, token, kind="rapor")

    assert "Choose the kind of document from the list." in _text(response)
    assert not VaultDocument.objects.exists()


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_refused_file_is_the_file_fields_error_in_the_readers_language_and_the_kind_is_kept(
    citizen_client: Client, language: str
) -> None:
    citizen_client.cookies["layanan_language"] = language
    token = _token(citizen_client)
    before = _state()

    response = _post_upload(
        citizen_client, token, kind="kk", upload=SimpleUploadedFile("kk.pdf", EXECUTABLE, "application/pdf")
    )

    page = _text(response)
    with translation.override(language):
        expected = _refusal(SimpleUploadedFile("kk.pdf", EXECUTABLE))
    assert response.status_code == 200
    assert f'<span class="visually-hidden">{_error_word(language)}</span> {expected}' in page
    assert '<option value="kk" selected>' in page
    assert _state() == before
    # The token was not used up: the corrected form can be sent.
    retry = _post_upload(citizen_client, token, kind="kk", upload=pdf_upload())
    assert retry.status_code == 302
    assert VaultDocument.objects.count() == 1


def test_a_file_over_the_limit_is_refused(citizen_client: Client, settings: Any) -> None:
    settings.LAYANAN_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    citizen_client.cookies["layanan_language"] = "en"
    token = _token(citizen_client)
    big = SimpleUploadedFile("kk.pdf", pdf_bytes() + b"%" * (2 * 1024 * 1024), "application/pdf")

    response = _post_upload(citizen_client, token, upload=big)

    assert "The file is larger than 2 MB. Upload a smaller file." in _text(response)
    assert not VaultDocument.objects.exists()


def test_an_empty_file_is_refused(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    token = _token(citizen_client)

    response = _post_upload(citizen_client, token, upload=SimpleUploadedFile("ktp.png", b"", "image/png"))

    assert "The file is empty. Upload the document again." in _text(response)
    assert not VaultDocument.objects.exists()


# --- Sending the upload form twice ------------------------------------------------------------------


def test_the_same_form_sent_twice_stores_the_document_once(citizen_client: Client) -> None:
    token = _token(citizen_client)
    first = _post_upload(citizen_client, token)
    events = AuditEvent.objects.count()

    second = _post_upload(citizen_client, token, upload=pdf_upload())

    assert first.status_code == second.status_code == 302
    assert second["Location"] == LIST_URL
    assert VaultDocument.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_the_same_file_of_the_same_kind_from_another_form_page_is_stored_once(
    citizen_client: Client,
) -> None:
    _post_upload(citizen_client, _token(citizen_client), kind="kk", upload=pdf_upload())
    events = AuditEvent.objects.count()

    again = _post_upload(citizen_client, _token(citizen_client), kind="kk", upload=pdf_upload("lagi.pdf"))

    assert again.status_code == 302
    assert VaultDocument.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_the_same_file_is_stored_again_as_another_kind_or_later(citizen_client: Client) -> None:
    _post_upload(citizen_client, _token(citizen_client), kind="kk", upload=pdf_upload())
    _post_upload(citizen_client, _token(citizen_client), kind="surat_pengantar", upload=pdf_upload())
    assert VaultDocument.objects.count() == 2
    VaultDocument.objects.update(
        created_at=timezone.now() - views.DUPLICATE_WINDOW - datetime.timedelta(minutes=1)
    )

    _post_upload(citizen_client, _token(citizen_client), kind="kk", upload=pdf_upload())

    assert VaultDocument.objects.count() == 3


def test_another_citizens_identical_file_does_not_count(citizen_client: Client, other_citizen: User) -> None:
    vault_document(other_citizen, "kk", upload=pdf_upload())

    _post_upload(citizen_client, _token(citizen_client), kind="kk", upload=pdf_upload())

    assert VaultDocument.objects.count() == 2


def test_a_token_this_session_was_not_given_is_refused(citizen_client: Client) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    _token(citizen_client)

    response = _post_upload(citizen_client, "made-up", kind="kk")

    page = _text(response)
    assert "This page was open too long. Choose the file again and upload it." in page
    assert '<option value="kk" selected>' in page
    fresh = re.search(r'name="token" value="([^"]+)"', page)
    assert fresh is not None
    assert fresh.group(1) in citizen_client.session[SESSION_TOKENS]
    assert not VaultDocument.objects.exists()


def test_a_second_request_waits_for_the_first_with_the_same_token(
    citizen: User, citizen_client: Client
) -> None:
    token = _token(citizen_client)
    stored = vault_document(citizen, "ktp")
    cache.set(f"vault:upload:{citizen.pk}:{token}", str(stored.public_id), 60)  # the first one finished

    response = _post_upload(citizen_client, token, kind="kk", upload=pdf_upload())

    assert response["Location"] == LIST_URL
    assert VaultDocument.objects.count() == 1


def test_a_second_request_gives_up_waiting_on_a_slow_first(
    citizen: User, citizen_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "CLAIM_WAIT_SECONDS", 0.0)
    token = _token(citizen_client)
    cache.set(f"vault:upload:{citizen.pk}:{token}", "pending", 60)

    response = _post_upload(citizen_client, token, kind="kk", upload=pdf_upload())

    assert response["Location"] == LIST_URL
    assert not VaultDocument.objects.exists()


def test_tokens_kept_in_the_session_are_bounded(citizen_client: Client) -> None:
    tokens = [_token(citizen_client) for _ in range(views.MAX_TOKENS + 5)]

    kept = citizen_client.session[SESSION_TOKENS]
    assert len(kept) == views.MAX_TOKENS
    assert tokens[-1] in kept
    assert tokens[0] not in kept


# --- Opening a file ------------------------------------------------------------------------------


def test_the_owner_gets_the_decrypted_file_with_safe_headers(citizen: User, citizen_client: Client) -> None:
    document = vault_document(citizen, "kk", upload=pdf_upload("Kartu Keluarga.pdf"))

    response = citizen_client.get(reverse("vault:document", kwargs={"document": document.public_id}))

    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    # PDFs download (Chrome shows no PDF under a sandbox policy); images show inline, sandboxed.
    assert response["Content-Disposition"] == 'attachment; filename="Kartu Keluarga.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src" not in csp


def test_an_image_is_served_as_the_stored_type(citizen: User, citizen_client: Client) -> None:
    document = vault_document(citizen, "pas_foto", upload=png_upload("foto.jpg"))

    response = citizen_client.get(reverse("vault:document", kwargs={"document": document.public_id}))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="foto.png"'
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response.content.startswith(b"\x89PNG")


def test_the_client_file_name_is_never_sent_unsanitised(citizen: User, citizen_client: Client) -> None:
    hostile = 'C:\\Users\\siti\\"KTP"; evil=1\r\nSet-Cookie: x=1 ‮gpj.exe.pdf'
    document = vault_document(citizen, "ktp", upload=pdf_upload(hostile))

    header = citizen_client.get(reverse("vault:document", kwargs={"document": document.public_id}))[
        "Content-Disposition"
    ]

    ascii_name = re.fullmatch(
        r'attachment; filename="([^"]*)"(; filename\*=UTF-8\'\'[A-Za-z0-9%._~-]+)?', header
    )
    assert ascii_name is not None, header
    assert re.fullmatch(r"[A-Za-z0-9 ._()-]+", ascii_name.group(1))
    assert "\\" not in header
    assert "\r" not in header
    assert "\n" not in header
    assert "‮" not in header


@pytest.mark.parametrize(
    ("display_name", "expected"),
    [
        ("KTP.pdf", 'inline; filename="KTP.pdf"'),
        ("Akta (salinan).png", 'inline; filename="Akta (salinan).png"'),
        ('a"b.pdf', "inline; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"),
        ("Ijazah Sekolah Menengah Atas.pdf", 'inline; filename="Ijazah Sekolah Menengah Atas.pdf"'),
        ("Surat Pernyataan Ibu Siti.pdf", 'inline; filename="Surat Pernyataan Ibu Siti.pdf"'),
        ("café.pdf", "inline; filename=\"cafe.pdf\"; filename*=UTF-8''caf%C3%A9.pdf"),
        ("文件.pdf", "inline; filename=\"dokumen.pdf\"; filename*=UTF-8''%E6%96%87%E4%BB%B6.pdf"),
        ("..pdf", "inline; filename=\"dokumen.pdf\"; filename*=UTF-8''..pdf"),
    ],
)
def test_inline_disposition(display_name: str, expected: str) -> None:
    assert content_disposition(display_name, inline=True) == expected


@pytest.mark.parametrize("persona", ["other_citizen", "officer", "front_officer", "unit_head", "admin_user"])
def test_nobody_else_opens_a_file(request: pytest.FixtureRequest, ktp: VaultDocument, persona: str) -> None:
    response = _client(request, persona).get(reverse("vault:document", kwargs={"document": ktp.public_id}))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"\x89PNG\r\n" not in response.content  # the file's signature, not just three letters


def test_a_removed_or_unknown_document_is_not_found(citizen_client: Client, ktp: VaultDocument) -> None:
    ktp.removed_at = timezone.now()
    ktp.save()

    for public_id in (ktp.public_id, uuid.uuid4()):
        assert (
            citizen_client.get(reverse("vault:document", kwargs={"document": public_id})).status_code == 404
        )
        assert citizen_client.get(reverse("vault:remove", kwargs={"document": public_id})).status_code == 404


# --- Removing ------------------------------------------------------------------------------------


def test_remove_asks_first_and_explains_that_applications_keep_their_copy(
    citizen_client: Client, ktp: VaultDocument
) -> None:
    citizen_client.cookies["layanan_language"] = "en"
    before = _state()

    response = citizen_client.get(reverse("vault:remove", kwargs={"document": ktp.public_id}))

    page = _text(response)
    assert response.status_code == 200
    assert "Remove “ktp.png” from your documents?" in page
    assert "You have not used this document in any application." in page
    assert "You can upload it again at any time." in page
    assert 'method="post"' in page
    assert _state() == before


def test_removing_takes_the_document_out_of_the_vault(citizen_client: Client, ktp: VaultDocument) -> None:
    citizen_client.cookies["layanan_language"] = "en"

    response = citizen_client.post(reverse("vault:remove", kwargs={"document": ktp.public_id}))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    ktp.refresh_from_db()
    assert ktp.removed_at is not None
    assert AuditEvent.objects.filter(action="vault.document_removed", object_id=str(ktp.pk)).count() == 1
    page = _text(citizen_client.get(LIST_URL))
    assert "“ktp.png” has been removed from your documents." in page
    assert reverse("vault:document", kwargs={"document": ktp.public_id}) not in page


def test_get_never_removes(citizen_client: Client, ktp: VaultDocument) -> None:
    citizen_client.get(reverse("vault:remove", kwargs={"document": ktp.public_id}))

    ktp.refresh_from_db()
    assert ktp.removed_at is None


# --- helpers ---------------------------------------------------------------------------------------


def _refusal(upload: SimpleUploadedFile) -> str:
    """What ``check_upload`` says about ``upload`` in the active language."""
    with pytest.raises(ValidationError) as refused:
        check_upload(upload, max_bytes=5 * 1024 * 1024)
    assert refused.value.code == "mismatch"
    return str(refused.value.messages[0])


def _error_word(language: str) -> str:
    with translation.override(language):
        return str(translation.gettext("Error:"))
