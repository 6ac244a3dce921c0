"""Answering the survey without an account: the invitation form, the counter code, the kiosk and
the unit's general link (single-use forms, a daily limit per address)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from layanan.accounts.models import ServiceUnit, User
from layanan.catalog.tests.factories import ServiceFactory
from layanan.survey import actions
from layanan.survey.models import Channel, SurveyInvitation, SurveyResponse, UsedFormNonce
from layanan.survey.tests.factories import form_answers, invitation, today
from layanan.survey.views.respond import CODE_TRIES_PER_HOUR, KIOSK_SESSION_KEY

pytestmark = pytest.mark.django_db

THANKS = "/survei/terima-kasih/"
CODE = "/survei/kode/"
KIOSK = "/survei/kiosk/"


@pytest.fixture
def client() -> Client:
    """A visitor reading in English (the site is Indonesian by default)."""
    visitor = Client()
    visitor.cookies["layanan_language"] = "en"
    return visitor


def answer_url(token: str) -> str:
    return f"/survei/{token}/"


def unit_url(unit: ServiceUnit) -> str:
    return f"/survei/unit/{unit.agency.slug}/{unit.slug}/"


def text(response: Any) -> str:
    return str(response.content.decode())


def is_checked(html: str, name: str, value: str) -> bool:
    """Whether the radio button ``name`` = ``value`` is rendered checked."""
    return bool(re.search(rf'<input[^>]*name="{name}" value="{re.escape(value)}"[^>]*\bchecked\b', html))


def form_id(response: Any) -> str:
    found = re.search(r'name="form_id" value="([^"]+)"', text(response))
    assert found, "the general-link form carries no form id"
    return found.group(1)


# --- The form an invitation opens -----------------------------------------------------------------------


def test_the_invitation_opens_the_form(client: Client, unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)

    response = client.get(answer_url(token))

    assert response.status_code == 200
    html = text(response)
    assert unit_a.name in html
    assert 'name="persyaratan"' in html
    assert 'name="pengaduan"' in html
    assert 'name="form_id"' not in html
    assert "Satisfaction survey" in html


def test_the_token_is_read_whatever_its_case(client: Client, unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)

    assert client.get(answer_url(token.lower())).status_code == 200


def test_a_valid_answer_is_stored_and_thanked(client: Client, unit_a: ServiceUnit) -> None:
    made, token = invitation(unit_a)

    response = client.post(
        answer_url(token),
        {**form_answers(4, 3, 3, 4), "sex": "L", "age_band": "40-49", "suggestion": "Cepat, terima kasih."},
    )

    assert response.status_code == 302
    assert response["Location"] == THANKS
    stored = SurveyResponse.objects.get()
    assert (stored.persyaratan, stored.biaya, stored.produk) == (4, 4, None)
    assert (stored.sex, stored.age_band, stored.education) == ("L", "40-49", "")
    assert stored.suggestion == "Cepat, terima kasih."
    assert stored.channel == Channel.APPLICATION
    made.refresh_from_db()
    assert made.answered
    assert client.get(THANKS).status_code == 200


def test_no_answer_gives_400_and_keeps_what_was_typed(client: Client, unit_a: ServiceUnit) -> None:
    made, token = invitation(unit_a)

    response = client.post(
        answer_url(token), {"sex": "P", "occupation": "wirausaha", "suggestion": "Parkir sempit sekali"}
    )

    assert response.status_code == 400
    html = text(response)
    assert "Answer at least one question." in html
    assert is_checked(html, "sex", "P")
    assert is_checked(html, "occupation", "wirausaha")
    assert "Parkir sempit sekali" in html
    assert not SurveyResponse.objects.exists()
    made.refresh_from_db()
    assert not made.answered


def test_a_bad_answer_gives_400_and_keeps_the_good_ones(client: Client, unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)

    response = client.post(answer_url(token), {"persyaratan": "3", "waktu": "2", "biaya": "9"})

    assert response.status_code == 400
    html = text(response)
    assert "Choose one of the four answers." in html
    assert is_checked(html, "persyaratan", "3")
    assert is_checked(html, "waktu", "2")
    assert not SurveyResponse.objects.exists()


def test_a_second_answer_is_refused_without_an_error(client: Client, unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)
    assert client.post(answer_url(token), form_answers(4, 4)).status_code == 302

    again = client.post(answer_url(token), form_answers(1, 1))

    assert again.status_code in {200, 409}
    assert "Survey already answered" in text(again)
    assert SurveyResponse.objects.count() == 1
    assert client.get(answer_url(token)).status_code in {200, 409}


def test_a_response_closed_between_the_page_and_the_post_gives_409(
    client: Client, unit_a: ServiceUnit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tabs: the other one answered after this one loaded the invitation."""
    _made, token = invitation(unit_a)
    real = actions.submit_response

    def answered_meanwhile(**kwargs: Any) -> SurveyResponse:
        SurveyInvitation.objects.update(answered=True)
        return real(**kwargs)

    monkeypatch.setattr(actions, "submit_response", answered_meanwhile)

    response = client.post(answer_url(token), form_answers(3))

    assert response.status_code == 409
    assert "Survey already answered" in text(response)
    assert not SurveyResponse.objects.exists()


def test_an_unknown_token_is_a_404_page(client: Client, unit_a: ServiceUnit) -> None:
    invitation(unit_a)

    for method in (client.get, client.post):
        response = method(answer_url("ABCDEFGHJKMNPQRS"))
        assert response.status_code == 404
        assert "Survey code not found" in text(response)


def test_an_expired_token_is_gone(client: Client, unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a, day=today() - datetime.timedelta(days=40))

    response = client.post(answer_url(token), form_answers(4))

    assert response.status_code == 410
    assert "Survey link expired" in text(response)
    assert not SurveyResponse.objects.exists()


def test_the_form_is_in_indonesian_by_default(unit_a: ServiceUnit) -> None:
    _made, token = invitation(unit_a)

    response = Client().get(answer_url(token))

    assert response.status_code == 200
    assert '<html lang="id"' in text(response)


# --- Counter codes ------------------------------------------------------------------------------------


def test_a_wrong_code_gives_400_with_a_message(client: Client) -> None:
    response = client.post(CODE, {"code": "ABCD-EFGH"})

    assert response.status_code == 400
    assert "This code is not valid." in text(response)
    assert 'value="ABCD-EFGH"' in text(response)


def test_an_empty_code_gives_400(client: Client) -> None:
    response = client.post(CODE, {"code": ""})

    assert response.status_code == 400
    assert "Enter the survey code." in text(response)


def test_the_right_code_opens_the_form(client: Client, unit_a: ServiceUnit, officer: User) -> None:
    _made, code = actions.issue_counter_code(unit_a, service=None, actor=officer)

    response = client.post(CODE, {"code": f" {code[:4].lower()}-{code[4:]} "})

    assert response.status_code == 302
    assert response["Location"] == answer_url(code)
    assert client.get(response["Location"]).status_code == 200
    assert client.post(response["Location"], form_answers(3, 3, 3)).status_code == 302
    assert SurveyResponse.objects.get().channel == Channel.COUNTER


def test_a_used_code_is_refused_with_a_message(client: Client, unit_a: ServiceUnit, officer: User) -> None:
    _made, code = actions.issue_counter_code(unit_a, service=None, actor=officer)
    actions.submit_response(answers={"waktu": 3}, invitation_token=code)

    response = client.post(CODE, {"code": code})

    assert response.status_code == 400
    assert "This code has already been used." in text(response)


def test_codes_tried_from_one_address_are_limited(client: Client) -> None:
    for _ in range(CODE_TRIES_PER_HOUR):
        assert client.post(CODE, {"code": "ZZZZ-ZZZZ"}).status_code == 400

    response = client.post(CODE, {"code": "ZZZZ-ZZZZ"})

    assert response.status_code == 429
    assert "Too many codes tried from here." in text(response)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(CODE, {"code": "ZZZZ-ZZZZ"}).status_code == 400


# --- Kiosk mode -------------------------------------------------------------------------------------


def test_kiosk_mode_on_and_off(client: Client, unit_a: ServiceUnit, officer: User) -> None:
    assert client.get(KIOSK).status_code == 200
    assert "Kiosk mode" not in text(client.get(CODE))

    switched_on = client.post(KIOSK)
    assert switched_on.status_code == 302
    assert switched_on["Location"] == CODE
    assert client.session[KIOSK_SESSION_KEY] is True
    assert "Kiosk mode" in text(client.get(CODE))

    _made, code = actions.issue_counter_code(unit_a, service=None, actor=officer)
    assert "Kiosk mode" in text(client.get(answer_url(code)))
    client.post(answer_url(code), form_answers(4))
    thanks = text(client.get(THANKS))
    assert f'href="{CODE}"' in thanks  # back to the code screen for the next person
    assert "Next person" in thanks

    switched_off = client.post(KIOSK, {"leave": "1"})
    assert switched_off.status_code == 302
    assert switched_off["Location"] == "/"
    assert KIOSK_SESSION_KEY not in client.session
    assert "Kiosk mode" not in text(client.get(CODE))
    assert "Next person" not in text(client.get(THANKS))


# --- The unit's general link ------------------------------------------------------------------------


def test_the_general_link_stores_a_response_once_per_form(client: Client, unit_a: ServiceUnit) -> None:
    service = ServiceFactory(unit=unit_a, name="Akta Kelahiran")
    page = client.get(unit_url(unit_a))
    assert page.status_code == 200
    assert "Akta Kelahiran" in text(page)
    data = {**form_answers(4, 4, 4), "form_id": form_id(page), "service": str(service.pk)}

    sent = client.post(unit_url(unit_a), data)

    assert sent.status_code == 302
    assert sent["Location"] == THANKS
    stored = SurveyResponse.objects.get()
    assert (stored.unit, stored.service, stored.channel) == (unit_a, service, Channel.UNIT_LINK)
    assert UsedFormNonce.objects.count() == 1

    replayed = client.post(unit_url(unit_a), data)

    assert replayed.status_code == 409
    assert "This form has already been sent." in text(replayed)
    assert SurveyResponse.objects.count() == 1


def test_each_page_of_the_general_link_is_a_new_form(client: Client, unit_a: ServiceUnit) -> None:
    first, second = form_id(client.get(unit_url(unit_a))), form_id(client.get(unit_url(unit_a)))

    assert first != second
    assert client.post(unit_url(unit_a), {**form_answers(3), "form_id": first}).status_code == 302
    assert client.post(unit_url(unit_a), {**form_answers(3), "form_id": second}).status_code == 302
    assert SurveyResponse.objects.count() == 2


@pytest.mark.parametrize("tamper", ["", "bukan-formulir", "swap"])
def test_a_tampered_form_id_gives_400_and_keeps_the_answers(
    client: Client, unit_a: ServiceUnit, tamper: str
) -> None:
    good = form_id(client.get(unit_url(unit_a)))
    value = good[:-1] + ("A" if good[-1] != "A" else "B") if tamper == "swap" else tamper

    response = client.post(
        unit_url(unit_a),
        {"persyaratan": "2", "perilaku": "4", "suggestion": "Loket tutup cepat", "form_id": value},
    )

    assert response.status_code == 400
    html = text(response)
    assert "This form is too old." in html
    assert is_checked(html, "persyaratan", "2")
    assert is_checked(html, "perilaku", "4")
    assert "Loket tutup cepat" in html
    assert form_id(response) != value  # a fresh form id to send it again
    assert not SurveyResponse.objects.exists()
    assert client.post(unit_url(unit_a), {**form_answers(2), "form_id": form_id(response)}).status_code == 302


def test_the_general_link_without_answers_gives_400(client: Client, unit_a: ServiceUnit) -> None:
    page = client.get(unit_url(unit_a))

    response = client.post(unit_url(unit_a), {"form_id": form_id(page), "sex": "L"})

    assert response.status_code == 400
    assert "Answer at least one question." in text(response)
    assert is_checked(text(response), "sex", "L")
    assert not UsedFormNonce.objects.exists()


def test_the_general_link_is_limited_per_address_and_day(
    client: Client, unit_a: ServiceUnit, unit_b: ServiceUnit, settings: Any
) -> None:
    settings.LAYANAN_SKM_UNIT_LINK_PER_DAY = 2
    for _ in range(2):
        page = client.get(unit_url(unit_a))
        assert client.post(unit_url(unit_a), {**form_answers(3), "form_id": form_id(page)}).status_code == 302

    page = client.get(unit_url(unit_a))
    limited = client.post(unit_url(unit_a), {**form_answers(1, 2), "form_id": form_id(page)})

    assert limited.status_code == 429
    assert "Too many responses from here today." in text(limited)
    assert is_checked(text(limited), "prosedur", "2")
    assert SurveyResponse.objects.count() == 2
    # Another address, or another unit, still may.
    other = Client(REMOTE_ADDR="10.1.2.3")
    page = other.get(unit_url(unit_a))
    assert other.post(unit_url(unit_a), {**form_answers(3), "form_id": form_id(page)}).status_code == 302
    page = client.get(unit_url(unit_b))
    assert client.post(unit_url(unit_b), {**form_answers(3), "form_id": form_id(page)}).status_code == 302


def test_the_general_link_of_an_unknown_or_closed_unit_is_404(client: Client, unit_a: ServiceUnit) -> None:
    assert client.get(f"/survei/unit/{unit_a.agency.slug}/tidak-ada/").status_code == 404

    ServiceUnit.objects.filter(pk=unit_a.pk).update(is_active=False)

    assert client.get(unit_url(unit_a)).status_code == 404


def test_a_service_of_another_unit_cannot_be_chosen(
    client: Client, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    ServiceFactory(unit=unit_a)
    elsewhere = ServiceFactory(unit=unit_b)
    page = client.get(unit_url(unit_a))

    response = client.post(
        unit_url(unit_a), {**form_answers(3), "form_id": form_id(page), "service": str(elsewhere.pk)}
    )

    assert response.status_code == 400
    assert "Choose a service from the list." in text(response)
    assert not SurveyResponse.objects.exists()
