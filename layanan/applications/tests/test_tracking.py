"""The public tracking page: found, wrong code, typo, unknown, rate limit, query count, and no
personal data or officer notes in what it shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import Submission, transition_application
from layanan.applications.models import Application
from layanan.applications.queries import public_timeline
from layanan.applications.tests.factories import VALID_NIK, service_counting_from_submission, submit
from layanan.applications.views import tracking
from layanan.catalog.models import Service
from layanan.core.references import make_reference, parse_reference
from layanan.workflow.models import TimelineEvent

pytestmark = pytest.mark.django_db

URL = "/lacak/"
NOT_FOUND = "We could not find an application with this reference number and tracking code."
TYPO = "This reference number has a typo."
OFFICER_NOTE = "Scan KTP buram, mohon unggah ulang yang jelas"
ANSWER_NAME = "Siti Rahmawati"
ANSWER_PHONE = "081234567890"
ANSWER_PHONE_STORED = "+6281234567890"
ANSWER_STREET = "Jl. Merdeka 1 RT 01/RW 02"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_counting_from_submission(unit=unit_a, channel="both", name="Kartu Keluarga")


@pytest.fixture
def submission(service: Service, citizen: User) -> Submission:
    return submit(service, citizen)


@pytest.fixture
def client() -> Client:
    """An anonymous visitor who chose English."""
    return _english(Client())


def _english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def _post(client: Client, reference: str, code: str, **extra: Any) -> Any:
    return client.post(URL, {"reference": reference, "code": code}, **extra)


def _returned(application: Application, officer: User) -> Application:
    application = transition_application(application, "start_check", actor=officer)
    return transition_application(application, "return_for_correction", actor=officer, note=OFFICER_NOTE)


def test_the_url_is_named_and_the_form_posts(client: Client) -> None:
    assert reverse("applications:track") == URL
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/lacak/"' in html
    assert 'name="reference"' in html
    assert 'name="code"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_found_shows_the_public_timeline(
    client: Client, submission: Submission, officer: User, citizen: User
) -> None:
    application = _returned(submission.application, officer)
    assert submission.secret is not None
    typed = application.reference.lower().replace("-", " ")
    code = f"{submission.secret[:4].lower()}-{submission.secret[4:]}"

    response = _post(client, typed, code)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Application {application.reference}" in html
    assert "Kartu Keluarga" in html
    assert application.unit.name in html
    # Current state, its colour, and the paused clock.
    assert '<strong class="tag tag-yellow">Returned for correction</strong>' in html
    assert "On hold while the unit waits for you" in html
    assert "Your application needs a correction from you." in html
    # Timeline: every public state, oldest first, with the hint that a message waits.
    rows = html.split('<table id="timeline">')[1]
    assert rows.index("Submitted") < rows.index("Completeness check") < rows.index("Returned for correction")
    assert "the officer left you a message: sign in to read it" in rows
    assert "Sign in with the applicant's account to see messages from the officer" in html


def test_nothing_personal_and_no_officer_note_in_the_page(
    client: Client, submission: Submission, officer: User, citizen: User
) -> None:
    application = _returned(submission.application, officer)
    assert submission.secret is not None
    answers = application.answer_data()
    assert VALID_NIK in answers.values()
    assert ANSWER_PHONE_STORED in answers.values()

    html = _post(client, application.reference, submission.secret).content.decode()

    assert "Returned for correction" in html
    for secret_text in (
        VALID_NIK,
        ANSWER_PHONE,
        ANSWER_PHONE_STORED,
        "1234567890",
        ANSWER_NAME,
        ANSWER_STREET,
        "Merdeka",
        citizen.email,
        citizen.full_name,
        OFFICER_NOTE,
        submission.secret,
        application.tracking_secret_digest,
    ):
        assert secret_text not in html


def test_the_code_never_travels_in_the_address(client: Client, submission: Submission) -> None:
    assert submission.secret is not None
    response = client.get(URL, {"reference": submission.application.reference, "code": submission.secret})

    assert response.status_code == 200
    assert f"Application {submission.application.reference}" not in response.content.decode()
    assert client.put(URL).status_code == 405


def test_wrong_code_and_unknown_reference_get_the_same_message(
    client: Client, submission: Submission
) -> None:
    reference = submission.application.reference
    parsed = parse_reference(reference)
    assert parsed is not None
    unknown = make_reference(parsed.prefix, parsed.year, parsed.sequence + 500)

    wrong_code = _post(client, reference, "ABCDEFGH").content.decode()
    unknown_reference = _post(client, unknown, submission.secret or "").content.decode()

    for html in (wrong_code, unknown_reference):
        assert NOT_FOUND in html
        assert "Kartu Keluarga" not in html
        assert TYPO not in html

    def message(html: str) -> str:
        return html.split('<div class="error-summary"')[1].split("</div>")[0]

    assert message(wrong_code) == message(unknown_reference)
    # What was typed is still in the form.
    assert f'value="{reference}"' in wrong_code
    assert 'value="ABCDEFGH"' in wrong_code


def test_a_typo_is_caught_by_the_check_digit_without_a_query(
    client: Client, submission: Submission, django_assert_num_queries: Any
) -> None:
    reference = submission.application.reference
    last = int(reference[-1])
    typo = f"{reference[:-1]}{(last + 1) % 10}"
    swapped = reference[:-4] + reference[-3] + reference[-4] + reference[-2:]
    assert parse_reference(typo) is None

    with django_assert_num_queries(0):
        response = _post(client, typo, submission.secret or "")

    html = response.content.decode()
    assert response.status_code == 200
    assert TYPO in html
    assert NOT_FOUND not in html
    assert f'value="{typo}"' in html
    if swapped != reference:
        assert TYPO in _post(client, swapped, submission.secret or "").content.decode()


@pytest.mark.parametrize(
    ("reference", "code", "message"),
    [
        ("", "", "Enter the reference number."),
        ("", "", "Enter the tracking code."),
        ("PBG-2026-000123-8", "K7QM", "A tracking code has 8 characters"),
        ("PBG-2026-000123-8", "K0QM1XHD", "A tracking code has 8 characters"),
        ("x" * 70, "K7QM2XHD", "A reference number is shorter than this."),
    ],
)
def test_form_errors(client: Client, reference: str, code: str, message: str) -> None:
    response = _post(client, reference, code)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<title>Error:" in html


def test_tries_are_limited_per_address_and_reference(
    client: Client, submission: Submission, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tracking, "TRACKING_LIMIT", 3)
    reference = submission.application.reference
    assert submission.secret is not None

    for _ in range(3):
        assert NOT_FOUND in _post(client, reference, "ABCDEFGH").content.decode()
    refused = _post(client, reference, submission.secret)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(tracking.TRACKING_WINDOW_SECONDS)
    html = refused.content.decode()
    assert "Too many tries" in html
    assert "Try again in 10 minutes." in html
    assert "Kartu Keluarga" not in html
    # Spelled differently, it is the same reference.
    assert _post(client, reference.replace("-", ""), submission.secret).status_code == 429
    # Another connection, or another reference from this one, is not held back.
    other_address = _post(client, reference, submission.secret, REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200
    assert f"Application {reference}" in other_address.content.decode()
    parsed = parse_reference(reference)
    assert parsed is not None
    other = make_reference(parsed.prefix, parsed.year, parsed.sequence + 1)
    assert _post(client, other, "ABCDEFGH").status_code == 200
    # Typos are not counted: they never reach the database.
    assert _post(client, reference[:-1] + str((int(reference[-1]) + 1) % 10), "ABCDEFGH").status_code == 200


def test_the_look_up_takes_two_queries(
    client: Client, submission: Submission, officer: User, django_assert_num_queries: Any
) -> None:
    application = _returned(submission.application, officer)
    application = transition_application(application, "resubmit", actor=application.applicant)
    assert submission.secret is not None

    with django_assert_num_queries(2):
        response = _post(client, application.reference, submission.secret)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr><td>") == 4
    application.refresh_from_db()
    assert application.overall_due_date is not None
    with translation.override("en"):
        due = date_format(application.overall_due_date, "DATE_FORMAT")
    assert f"<dt>Expected by</dt>\n    <dd>{due}</dd>" in html


def test_public_timeline_keeps_only_public_state_changes_and_payments(
    submission: Submission, officer: User, django_assert_num_queries: Any
) -> None:
    from layanan.applications.models import ApplicationEvent

    application = _returned(submission.application, officer)
    application.refresh_from_db()
    for kind, public, data in (
        (TimelineEvent.Kind.NOTE, False, {}),
        (TimelineEvent.Kind.ASSIGNMENT, False, {}),
        (TimelineEvent.Kind.ESCALATION, False, {}),
        (TimelineEvent.Kind.PAYMENT, True, {"event": "bill_opened", "billing_code": "820260000001"}),
        (TimelineEvent.Kind.PAYMENT, True, {"event": "paid", "receipt_number": "KW-2026-0000001"}),
        (TimelineEvent.Kind.PAYMENT, True, {}),
        (TimelineEvent.Kind.PAYMENT, False, {"event": "paid"}),
        (TimelineEvent.Kind.NOTE, True, {}),
    ):
        ApplicationEvent.objects.create(
            case=application,
            kind=kind,
            at=application.state_entered_at,
            is_public=public,
            note="x",
            data=data,
        )
    ApplicationEvent.objects.create(
        case=application,
        kind=TimelineEvent.Kind.TRANSITION,
        at=application.state_entered_at,
        to_state="processing",
        is_public=False,
    )
    application = Application.objects.select_related("workflow").get(pk=application.pk)

    with django_assert_num_queries(1):
        events = public_timeline(application)

    assert [(e.kind, e.state) for e in events] == [
        ("transition", "submitted"),
        ("transition", "completeness_check"),
        ("transition", "returned_for_correction"),
        ("payment", ""),
        ("payment", ""),
        ("payment", ""),
    ]
    assert [str(e.label) for e in events] == [
        "Submitted",
        "Completeness check",
        "Returned for correction",
        "Bill issued",
        "Payment received",
        "Payment",
    ]
    assert [e.has_note for e in events] == [False, False, True, True, True, True]


def test_the_signed_in_applicant_gets_a_link_to_their_case(
    submission: Submission, citizen: User, other_citizen: User
) -> None:
    reference = submission.application.reference
    assert submission.secret is not None
    applicant = _english(Client())
    applicant.force_login(citizen)
    someone_else = _english(Client())
    someone_else.force_login(other_citizen)

    mine = _post(applicant, reference, submission.secret).content.decode()
    theirs = _post(someone_else, reference, submission.secret).content.decode()

    assert reverse("applications:detail", kwargs={"reference": reference}) == f"/akun/permohonan/{reference}/"
    assert f'href="/akun/permohonan/{reference}/"' in mine
    assert "Open your application" in mine
    assert "Sign in with the applicant" not in mine
    assert "/akun/permohonan/" not in theirs
    assert "Sign in with the applicant's account" in theirs
    assert 'href="/masuk/"' not in theirs


def test_a_finished_application_shows_when_it_finished(
    client: Client, submission: Submission, officer: User, unit_head: User
) -> None:
    application = transition_application(submission.application, "start_check", actor=officer)
    application = transition_application(application, "accept_complete", actor=officer)
    application = transition_application(application, "reject", actor=unit_head, note=OFFICER_NOTE)
    assert submission.secret is not None

    html = _post(client, application.reference, submission.secret).content.decode()

    assert '<strong class="tag tag-red">Rejected</strong>' in html
    assert "Finished on" in html
    assert "Your application was rejected. Sign in to read the reasons." in html
    assert OFFICER_NOTE not in html


def test_both_languages(client: Client, submission: Submission) -> None:
    assert submission.secret is not None
    client.cookies["layanan_language"] = "id"
    html = client.post(
        URL, {"reference": submission.application.reference, "code": submission.secret}
    ).content.decode()

    assert '<html lang="id"' in html
    assert "Diajukan" in html
