"""The citizen's complaint pages: report in two steps (kept input, 4xx with a message on bad
input, one report per form token), the protected channel, the confirmation shown once, tracking
(POST only, check digit, same message for unknown and wrong, rate limit, the code never in a URL),
the reporter's steps (information, reply, rating), attachments, duplicate hints and support, and
the signed-in citizen's reports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import (
    answer_complaint,
    dispose_complaint,
    transition_complaint,
)
from layanan.complaints.models import Complaint, ComplaintAttachment, ComplaintSupport
from layanan.complaints.tests.factories import STORY, district, report
from layanan.complaints.views import tracking

pytestmark = pytest.mark.django_db

NEW = "/pengaduan/"
CHECK = "/pengaduan/periksa/"
TRACK = "/pengaduan/lacak/"
TITLE = "Jalan berlubang di depan SD Negeri 3"
BODY = "Jalan di depan SD Negeri 3 berlubang besar sejak dua bulan, motor sering jatuh di sana."
PHONE = "0812 3456 7890"


def png_upload(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def _english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


@pytest.fixture
def visitor() -> Client:
    return _english(Client())


@pytest.fixture
def place() -> None:
    district()


def step_one(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "pengaduan",
        "category": "infrastruktur",
        "title": TITLE,
        "body": BODY,
        "incident_date": "",
        "location_text": "depan SD Negeri 3",
        "latitude": "",
        "longitude": "",
        "target_agency": "",
        "province": "33",
        "regency": "33.74",
        "district": "33.74.01",
        "action": "continue",
    }
    data.update(overrides)
    return data


def _key(client: Client, url: str = CHECK) -> str:
    response = client.get(url)
    assert response.status_code == 200
    key = response.context["form"]["idempotency_key"].value()
    assert key
    return str(key)


def _send(client: Client, key: str, url: str = CHECK, **overrides: Any) -> Any:
    data: dict[str, Any] = {"idempotency_key": key, "attribute_fasilitas": "jalan", "contact": PHONE}
    data.update(overrides)
    return client.post(url, data)


def _submit(client: Client, **overrides: Any) -> Complaint:
    assert client.post(NEW, step_one()).status_code == 302
    response = _send(client, _key(client), **overrides)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Complaint.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[-1])


# Step one ----------------------------------------------------------------------------------------


def test_form_needs_no_account_and_offers_the_provinces(visitor: Client, place: None) -> None:
    response = visitor.get(NEW)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="province"' in html
    assert 'name="regency"' not in html
    assert reverse("complaints:new-protected") in html


def test_choose_shows_the_next_level_without_errors(visitor: Client, place: None) -> None:
    response = visitor.post(NEW, {"province": "33", "title": TITLE, "action": "pick"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="regency"' in html
    assert "error-summary" not in html
    assert f'value="{TITLE}"' in html


def test_bad_step_one_gives_400_messages_and_keeps_what_was_typed(visitor: Client, place: None) -> None:
    response = visitor.post(
        NEW,
        step_one(
            body="Terlalu pendek", regency="", district="", latitude="-6.99", incident_date="2999-01-01"
        ),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Tell us what happened in at least 20 characters." in html
    assert "Choose the regency or city where it happened." in html
    assert "Give both the latitude and the longitude of the point, or neither." in html
    assert "The date of the incident cannot be in the future." in html
    assert f'value="{TITLE}"' in html
    assert "Terlalu pendek</textarea>" in html
    assert not Complaint.objects.exists()


def test_point_outside_indonesia_is_refused(visitor: Client, place: None) -> None:
    response = visitor.post(NEW, step_one(latitude="48.85", longitude="2.35"))

    assert response.status_code == 400
    assert "The point on the map is outside Indonesia." in response.content.decode()


def test_agency_choice_offers_its_services_and_they_are_kept(
    visitor: Client, unit_a: ServiceUnit, unit_b: ServiceUnit, place: None
) -> None:
    from layanan.catalog.tests.factories import ServiceFactory

    ServiceFactory(unit=unit_a, name="Kartu Keluarga", slug="kartu-keluarga")
    ServiceFactory(unit=unit_b, name="Izin Usaha", slug="izin-usaha")

    picked = visitor.post(NEW, step_one(action="pick", target_agency=unit_a.agency.slug))
    wrong = visitor.post(NEW, step_one(target_agency=unit_a.agency.slug, target_service="izin-usaha"))
    chosen = visitor.post(NEW, step_one(target_agency=unit_a.agency.slug, target_service="kartu-keluarga"))

    assert picked.status_code == 200
    assert 'value="kartu-keluarga"' in picked.content.decode()
    assert 'value="izin-usaha"' not in picked.content.decode()
    assert wrong.status_code == 400
    assert "Choose a service of this agency." in wrong.content.decode()
    assert chosen.status_code == 302
    page = visitor.get(CHECK)
    assert "Kartu Keluarga" in page.content.decode()
    assert _send(visitor, _key(visitor)).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.target_agency == unit_a.agency
    assert complaint.target_service is not None
    assert complaint.target_service.slug == "kartu-keluarga"


def test_staff_use_the_staff_pages_not_the_citizen_form(officer_client: Client) -> None:
    assert officer_client.get(NEW).status_code == 403


# Step two and sending ----------------------------------------------------------------------------


def test_visitor_reports_and_sees_the_code_once(visitor: Client, place: None) -> None:
    assert visitor.post(NEW, step_one()).status_code == 302
    page = visitor.get(CHECK)
    html = page.content.decode()
    assert TITLE in html
    assert "Fasilitas apa?" in html  # the category's Open311 attribute

    response = _send(visitor, _key(visitor))

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:sent", kwargs={"complaint": complaint.reference})
    assert complaint.kind == "pengaduan"
    assert complaint.channel == "web"
    assert complaint.region_id == "33.74.01"
    assert complaint.attributes == {"fasilitas": "jalan"}
    assert complaint.reporter is None
    assert complaint.reporter_details()["phone"] == "+6281234567890"
    assert not complaint.is_anonymous
    confirmation = visitor.get(response["Location"])
    secret = confirmation.context["secret"]
    assert secret
    assert secret in confirmation.content.decode()
    assert "0812*****890" in confirmation.content.decode()
    assert secret not in response["Location"]
    again = visitor.get(response["Location"])
    assert again.context["secret"] is None
    assert secret not in again.content.decode()
    # Another browser cannot open the confirmation.
    assert _english(Client()).get(response["Location"]).status_code == 404


def test_double_submit_makes_one_report(visitor: Client, place: None) -> None:
    assert visitor.post(NEW, step_one()).status_code == 302
    key = _key(visitor)

    first = _send(visitor, key)
    second = _send(visitor, key)

    assert Complaint.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_retry_with_the_same_token_from_a_restored_draft_makes_one_report(
    visitor: Client, place: None
) -> None:
    from layanan.complaints.views import citizen

    assert visitor.post(NEW, step_one()).status_code == 302
    key = _key(visitor)
    drafts = visitor.session[citizen.DRAFTS_SESSION_KEY]
    assert _send(visitor, key).status_code == 302
    # The response was lost and the session forgot it was sent: the action's idempotency holds.
    session = visitor.session
    session[citizen.DRAFTS_SESSION_KEY] = drafts
    session[citizen.SENT_SESSION_KEY] = {}
    session.save()

    response = _send(visitor, key)

    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_missing_attribute_and_bad_contact_give_400_and_keep_input(visitor: Client, place: None) -> None:
    assert visitor.post(NEW, step_one()).status_code == 302
    key = _key(visitor)

    response = _send(
        visitor,
        key,
        attribute_fasilitas="",
        contact="bukan nomor",
        name="Dewi Lestari",
        attachments=[png_upload("foto.png")],
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Enter an e-mail address like nama@contoh.id or a mobile number like 0812 3456 7890." in html
    assert 'value="Dewi Lestari"' in html
    assert 'value="bukan nomor"' in html
    assert "Choose them again before sending." in html
    assert not Complaint.objects.exists()

    response = _send(visitor, key, attribute_fasilitas="", name="Dewi Lestari")

    assert response.status_code == 400
    assert "Answer: Fasilitas apa? / Which facility?" in response.content.decode()
    assert not Complaint.objects.exists()


def test_too_many_attachments_are_refused(visitor: Client, place: None) -> None:
    assert visitor.post(NEW, step_one()).status_code == 302

    response = _send(visitor, _key(visitor), attachments=[png_upload(f"f{i}.png") for i in range(4)])

    assert response.status_code == 400
    assert "Attach at most 3 files." in response.content.decode()
    assert not Complaint.objects.exists()


def test_attachment_is_stored_and_downloaded_by_its_reporter_only(visitor: Client, place: None) -> None:
    complaint = _submit(visitor, attachments=[png_upload("jalan.png")])
    attachment = ComplaintAttachment.objects.get(complaint=complaint)
    url = reverse(
        "complaints:tracked-attachment",
        kwargs={"complaint": complaint.reference, "attachment": attachment.public_id},
    )

    response = visitor.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert _english(Client()).get(url).status_code == 404


def test_check_without_a_draft_goes_back_to_step_one(visitor: Client, place: None) -> None:
    response = visitor.post(CHECK, {"idempotency_key": "5b8d5c5e-4c61-4c43-9a57-0c1c7a4b2d10"})

    assert response.status_code == 302
    assert response["Location"] == NEW
    assert not Complaint.objects.exists()


def test_protected_channel_is_always_confidential(visitor: Client, place: None) -> None:
    url_one, url_two = reverse("complaints:new-protected"), reverse("complaints:new-protected-check")
    data = step_one()
    del data["kind"], data["category"]
    assert "inspectorate" in visitor.get(url_one).content.decode()
    assert visitor.post(url_one, data).status_code == 302

    response = _send(visitor, _key(visitor, url_two), url=url_two, is_anonymous="on", is_confidential="")

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.kind == "pungli"
    assert complaint.category.is_protected
    assert complaint.is_confidential
    assert complaint.is_anonymous


def test_signed_in_citizen_reports_anonymously_and_finds_it(
    citizen_client: Client, citizen: User, place: None, django_assert_max_num_queries: Any
) -> None:
    _english(citizen_client)
    complaint = _submit(citizen_client, is_anonymous="on", contact="")
    report(actor=citizen, title="Lampu jalan mati di Jalan Pemuda")

    assert complaint.is_anonymous
    assert complaint.reporter is None
    with django_assert_max_num_queries(8):
        response = citizen_client.get(reverse("complaints:my-complaints"))
    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.reference in html
    assert "Lampu jalan mati di Jalan Pemuda" in html
    page = citizen_client.get(reverse("complaints:tracked", kwargs={"complaint": complaint.reference}))
    assert page.status_code == 200
    assert TITLE in page.content.decode()


def test_my_reports_show_only_my_own(citizen_client: Client, other_citizen: User, place: None) -> None:
    theirs = report(actor=other_citizen).complaint

    response = citizen_client.get(reverse("complaints:my-complaints"))

    assert theirs.reference not in response.content.decode()
    assert (
        citizen_client.get(reverse("complaints:tracked", kwargs={"complaint": theirs.reference})).status_code
        == 404
    )


# Tracking ----------------------------------------------------------------------------------------


def test_track_with_reference_and_code_keeps_the_code_out_of_urls(visitor: Client, place: None) -> None:
    submission = report(title=TITLE, body=BODY)
    reference, secret = submission.complaint.reference, submission.secret
    assert secret is not None

    response = visitor.post(TRACK, {"reference": reference.lower().replace("-", " "), "code": secret.lower()})

    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:tracked", kwargs={"complaint": reference})
    assert secret not in response["Location"]
    page = visitor.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert TITLE in html
    assert secret not in html
    assert _english(Client()).get(response["Location"]).status_code == 404


def test_track_typo_unknown_and_wrong_code(visitor: Client, place: None) -> None:
    submission = report()
    reference = submission.complaint.reference
    typo = f"{reference[:-1]}{(int(reference[-1]) + 1) % 10}"

    typo_response = visitor.post(TRACK, {"reference": typo, "code": "ABCDEFGH"})
    wrong = visitor.post(TRACK, {"reference": reference, "code": "ABCDEFGH"})
    unknown = visitor.post(TRACK, {"reference": "ADU-2026-999999-0", "code": "ABCDEFGH"})

    assert typo_response.status_code == 400
    assert "This reference number has a typo." in typo_response.content.decode()
    assert wrong.status_code == unknown.status_code == 400
    message = "We could not find a report with this reference number and tracking code."
    assert message in wrong.content.decode()
    assert reference not in visitor.session.get(tracking.TRACKING_SESSION_KEY, {})


def test_track_is_rate_limited(visitor: Client, place: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracking, "TRACKING_LIMIT", 2)
    submission = report()
    reference = submission.complaint.reference

    for _ in range(2):
        assert visitor.post(TRACK, {"reference": reference, "code": "ABCDEFGH"}).status_code == 400
    limited = visitor.post(TRACK, {"reference": reference, "code": submission.secret})

    assert limited.status_code == 429
    assert limited["Retry-After"] == str(tracking.TRACKING_WINDOW_SECONDS)
    assert reference not in visitor.session.get(tracking.TRACKING_SESSION_KEY, {})


# The reporter's steps ----------------------------------------------------------------------------


def _tracked(client: Client, submission: Any) -> str:
    reference = str(submission.complaint.reference)
    assert client.post(TRACK, {"reference": reference, "code": submission.secret}).status_code == 302
    return reference


def test_visitor_sends_requested_information_with_a_file(
    visitor: Client, coordinator: User, place: None
) -> None:
    submission = report()
    complaint = transition_complaint(submission.complaint, "start_verification", actor=coordinator)
    transition_complaint(complaint, "request_info", actor=coordinator, note="Di RT berapa tepatnya?")
    reference = _tracked(visitor, submission)
    page = visitor.get(reverse("complaints:tracked", kwargs={"complaint": reference}))
    assert "Di RT berapa tepatnya?" in page.content.decode()
    url = reverse("complaints:tracked-supply-info", kwargs={"complaint": reference})

    empty = visitor.post(url, {"info-note": ""})
    response = visitor.post(url, {"info-note": "RT 03 RW 05", "info-attachments": [png_upload("rt.png")]})

    assert empty.status_code == 400
    assert "Write the information you were asked for." in empty.content.decode()
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "verifying"
    assert complaint.attachments.count() == 1
    assert complaint.events.filter(transition="supply_info", note="RT 03 RW 05").exists()


def test_visitor_rates_low_and_the_report_reopens(
    visitor: Client, coordinator: User, officer: User, unit_a: ServiceUnit, place: None
) -> None:
    submission = report()
    complaint = dispose_complaint(submission.complaint, unit=unit_a, actor=coordinator)
    answer_complaint(complaint, actor=officer, note="Jalan sudah kami tambal.")
    reference = _tracked(visitor, submission)
    page = visitor.get(reverse("complaints:tracked", kwargs={"complaint": reference}))
    html = page.content.decode()
    assert "Jalan sudah kami tambal." in html
    assert "The unit handling your report" in html
    assert officer.full_name not in html
    url = reverse("complaints:tracked-rate", kwargs={"complaint": reference})

    no_comment = visitor.post(url, {"rating-rating": "1"})
    no_rating = visitor.post(url, {"rating-comment": "Belum"})
    response = visitor.post(url, {"rating-rating": "1", "rating-comment": "Masih berlubang."})

    assert no_comment.status_code == 400
    assert "Tell us what is still wrong" in no_comment.content.decode()
    assert no_rating.status_code == 400
    assert "Choose a rating from 1 to 5." in no_rating.content.decode()
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.rating == 1
    assert complaint.state == "in_progress"


def test_visitor_replies_to_the_answer(
    visitor: Client, coordinator: User, officer: User, unit_a: ServiceUnit, place: None
) -> None:
    submission = report()
    complaint = dispose_complaint(submission.complaint, unit=unit_a, actor=coordinator)
    answer_complaint(complaint, actor=officer, note="Sudah diperbaiki.")
    reference = _tracked(visitor, submission)

    response = visitor.post(
        reverse("complaints:tracked-reply", kwargs={"complaint": reference}),
        {"reply-note": "Belum, masih rusak."},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "in_progress"


def test_steps_need_the_proven_code(
    visitor: Client, coordinator: User, officer: User, unit_a: ServiceUnit, place: None
) -> None:
    submission = report()
    complaint = dispose_complaint(submission.complaint, unit=unit_a, actor=coordinator)
    answer_complaint(complaint, actor=officer, note="Sudah diperbaiki.")
    url = reverse("complaints:tracked-rate", kwargs={"complaint": complaint.reference})

    response = visitor.post(url, {"rating-rating": "5"})

    assert response.status_code == 404
    complaint.refresh_from_db()
    assert complaint.state == "answered"
    assert complaint.rating is None


# Duplicate hints and support ---------------------------------------------------------------------


def _public(coordinator: User, **kwargs: Any) -> Complaint:
    submission = report(category_slug="infrastruktur", attributes={"fasilitas": "jalan"}, **kwargs)
    return transition_complaint(submission.complaint, "start_verification", actor=coordinator)


def test_check_page_shows_similar_open_public_reports(
    visitor: Client, coordinator: User, place: None
) -> None:
    similar = _public(coordinator, title="Jalan rusak depan SD Negeri 3", body=STORY)
    hidden = _public(
        coordinator, title="Jalan rusak depan SD Negeri 3 (rahasia)", body=STORY, is_confidential=True
    )
    other = _public(
        coordinator, title="Lampu jalan mati", body="Lampu penerangan di Jalan Pemuda mati seminggu ini."
    )
    assert visitor.post(NEW, step_one()).status_code == 302

    response = visitor.get(CHECK)

    html = response.content.decode()
    assert similar.reference in html
    assert hidden.reference not in html
    assert other.reference not in html
    assert "Sign in to support this report" in html


def test_citizen_supports_a_report_instead(citizen_client: Client, coordinator: User, place: None) -> None:
    similar = _public(coordinator, title="Jalan rusak depan SD Negeri 3", body=STORY)
    _english(citizen_client)
    assert citizen_client.post(NEW, step_one()).status_code == 302
    assert "Support this report instead" in citizen_client.get(CHECK).content.decode()
    url = reverse("complaints:support", kwargs={"complaint": similar.reference})

    first = citizen_client.post(url)
    second = citizen_client.post(url)

    assert first.status_code == second.status_code == 200
    assert "You support this report" in first.content.decode()
    assert "You already supported this report." in second.content.decode()
    similar.refresh_from_db()
    assert similar.support_count == 1
    assert ComplaintSupport.objects.count() == 1
    # The draft was dropped: the citizen supports instead of reporting.
    assert citizen_client.get(CHECK).status_code == 302


def test_visitors_must_sign_in_to_support(visitor: Client, coordinator: User, place: None) -> None:
    similar = _public(coordinator, title="Jalan rusak", body=STORY)

    response = visitor.post(reverse("complaints:support", kwargs={"complaint": similar.reference}))

    assert response.status_code == 302
    assert reverse("accounts:signin") in response["Location"]
    assert not ComplaintSupport.objects.exists()


def test_confidential_reports_cannot_be_supported(
    citizen_client: Client, coordinator: User, place: None
) -> None:
    hidden = _public(coordinator, title="Jalan rusak", body=STORY, is_confidential=True)

    response = citizen_client.post(reverse("complaints:support", kwargs={"complaint": hidden.reference}))

    assert response.status_code == 404
    assert not ComplaintSupport.objects.exists()
