from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from layanan.audit.models import AuditEvent
from layanan.audit.tests.factories import raw_update, record, record_many
from layanan.core.testing import verified_client

LIST_URL = reverse("audit:event-list")
VERIFY_URL = reverse("audit:verify-chain")
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))

DENIED_PERSONAS = ["citizen", "front_officer", "officer", "other_agency_officer", "unit_head", "coordinator"]
ALLOWED_PERSONAS = ["inspector", "admin_user"]


def _client_for(persona: str, request: pytest.FixtureRequest) -> Client:
    user: Any = request.getfixturevalue(persona)
    if user.is_citizen:
        client = Client()
        client.force_login(user)
        return client
    return verified_client(user)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _detail_url(event: AuditEvent) -> str:
    return reverse("audit:event-detail", args=[event.stream, event.sequence])


def _listed_actions(response: Any) -> list[str]:
    return [event.action for event in response.context["page"].events]


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALLOWED_PERSONAS)
def test_oversight_users_see_the_audit_log(persona: str, request: pytest.FixtureRequest) -> None:
    record("accounts.user_updated")

    response = _client_for(persona, request).get(LIST_URL)

    assert response.status_code == 200
    assert _listed_actions(response) == ["accounts.user_updated"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", DENIED_PERSONAS)
@pytest.mark.parametrize("url", ["list", "detail"])
def test_other_users_are_refused(persona: str, url: str, request: pytest.FixtureRequest) -> None:
    event = record()

    response = _client_for(persona, request).get(LIST_URL if url == "list" else _detail_url(event))

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["list", "detail", "verify"])
def test_anonymous_visitors_are_sent_to_sign_in(url: str, client: Client) -> None:
    event = record()
    target = {"list": LIST_URL, "detail": _detail_url(event), "verify": VERIFY_URL}[url]

    response = client.post(target) if url == "verify" else client.get(target)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(settings.LAYANAN_STAFF_LOGIN_URL)}?next={target}"
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_an_inspector_without_the_second_factor_must_pass_it_first(inspector: Any) -> None:
    client = Client()
    client.force_login(inspector)

    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={LIST_URL}")


@pytest.mark.django_db
def test_an_inactive_inspectorate_membership_gives_no_access(inspector: Any) -> None:
    client = verified_client(inspector)
    inspector.memberships.update(is_active=False)

    assert client.get(LIST_URL).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", DENIED_PERSONAS)
def test_refused_users_cannot_run_the_verification_and_nothing_is_recorded(
    persona: str, request: pytest.FixtureRequest
) -> None:
    record()

    response = _client_for(persona, request).post(VERIFY_URL)

    assert response.status_code == 403
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["tests.thing_changed"]


# --- The list -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_events_newest_first_with_links(inspector: Any) -> None:
    first = record("tests.first")
    second = record("tests.second", object_id="2")

    response = _english(verified_client(inspector)).get(LIST_URL)

    body = response.content.decode()
    assert _listed_actions(response) == ["tests.second", "tests.first"]
    assert _detail_url(first) in body
    assert _detail_url(second) in body
    assert "Audit log" in body
    assert "Verify chain" in body
    assert "Older events" not in body
    assert "Newer events" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "accounts."}, ["accounts.user_signed_in", "accounts.user_updated"]),
        ({"action": "accounts.user_u"}, ["accounts.user_updated"]),
        ({"object_type": "CATALOG.Service"}, ["catalog.service_published"]),
        ({"object_type": "accounts.user", "object_id": "7"}, ["accounts.user_updated"]),
        ({"actor": "system"}, ["catalog.service_published"]),
        ({"action": "nothing."}, []),
    ],
)
def test_list_filters(query: dict[str, str], expected: list[str], inspector: Any) -> None:
    record("accounts.user_updated", actor=inspector, object_type="accounts.user", object_id="7")
    record("accounts.user_signed_in", actor=inspector, object_type="accounts.user", object_id="8")
    record("catalog.service_published", object_type="catalog.service", object_id="kk")

    response = verified_client(inspector).get(LIST_URL, query)

    assert response.status_code == 200
    assert sorted(_listed_actions(response)) == expected


@pytest.mark.django_db
def test_list_filters_by_days_of_the_site_time_zone(inspector: Any) -> None:
    # 23:30 in Jakarta on 1 March is still 1 March there, although it is 16:30 UTC.
    for action, moment in [
        ("tests.february", datetime.datetime(2026, 2, 28, 23, 59, tzinfo=JAKARTA)),
        ("tests.march_first_late", datetime.datetime(2026, 3, 1, 23, 30, tzinfo=JAKARTA)),
        ("tests.march_second", datetime.datetime(2026, 3, 2, 0, 0, tzinfo=JAKARTA)),
    ]:
        with time_machine.travel(moment, tick=False):
            record(action)

    response = verified_client(inspector).get(LIST_URL, {"date_from": "2026-03-01", "date_to": "2026-03-01"})

    assert _listed_actions(response) == ["tests.march_first_late"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"date_from": "2026-03-05", "date_to": "2026-03-01"},
            "date_to",
            "The end date is before the start date.",
        ),
        ({"date_from": "2026-13-45"}, "date_from", "Enter a valid date."),
        ({"date_to": "9999-12-31"}, "date_to", "Enter a date between 2000 and 2999."),
    ],
)
def test_bad_filters_come_back_with_a_message_and_the_typed_values(
    query: dict[str, str], field: str, message: str, inspector: Any
) -> None:
    record()

    response = _english(verified_client(inspector)).get(LIST_URL, {"action": "tests.", **query})

    body = response.content.decode()
    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["form"].errors[field] == [message]
    assert response.context["page"] is None
    assert message in body
    assert 'value="tests."' in body
    for value in query.values():
        assert f'value="{value}"' in body


@pytest.mark.django_db
def test_list_pages_by_keyset_in_both_directions(inspector: Any) -> None:
    events = record_many(120, objects=7)
    newest_first = [event.pk for event in reversed(events)]
    client = _english(verified_client(inspector))

    first = client.get(LIST_URL, {"action": "tests."})
    second = client.get(LIST_URL + _link(first, "Older events"))
    third = client.get(LIST_URL + _link(second, "Older events"))
    back_to_second = client.get(LIST_URL + _link(third, "Newer events"))
    back_to_first = client.get(LIST_URL + _link(back_to_second, "Newer events"))

    assert _ids(first) == newest_first[:50]
    assert _ids(second) == newest_first[50:100]
    assert _ids(third) == newest_first[100:]
    assert _ids(back_to_second) == newest_first[50:100]
    assert _ids(back_to_first) == newest_first[:50]
    assert "Newer events" not in first.content.decode()
    assert "Older events" not in third.content.decode()
    assert "Newer events" not in back_to_first.content.decode()
    assert "action=tests." in _link(second, "Older events")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"older": "yesterday"},
        {"newer": "99999999999999999999-1"},
        {"older": "1-99999999999999999999"},
        {"newer": "1-99999999999999999999"},
    ],
)
def test_a_malformed_or_impossible_cursor_never_breaks_the_page(
    query: dict[str, str], inspector: Any
) -> None:
    record()

    response = verified_client(inspector).get(LIST_URL, query)

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 60])
def test_list_query_count_does_not_grow_with_rows(
    count: int, inspector: Any, django_assert_num_queries: Any
) -> None:
    record_many(count, objects=5)
    client = verified_client(inspector)
    cursor = str(client.get(LIST_URL).context["page"].older or "")

    # Session, user, OTP device, memberships, events.
    with django_assert_num_queries(5):
        client.get(LIST_URL, {"action": "tests."})
    with django_assert_num_queries(5):
        client.get(LIST_URL, {"older": cursor})


def _link(response: Any, text: str) -> str:
    match = re.search(rf'<a href="(\?[^"]+)"[^>]*>{text}</a>', response.content.decode())
    assert match is not None, f"no link {text!r}"
    return match[1].replace("&amp;", "&")


def _ids(response: Any) -> list[int]:
    return [event.pk for event in response.context["page"].events]


# --- Detail -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_the_event_and_its_neighbours(inspector: Any) -> None:
    events = [
        record("tests.step", actor=inspector, summary={"changed": ["status"], "step": n}) for n in range(3)
    ]
    middle = events[1]

    response = _english(verified_client(inspector)).get(_detail_url(middle))

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["event"] == middle
    assert middle.hash in body
    assert middle.previous_hash in body
    assert "&quot;step&quot;: 1" in body
    assert inspector.username in body
    assert _detail_url(events[0]) in body
    assert _detail_url(events[2]) in body
    assert "object_type=tests.thing&amp;object_id=1" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/petugas/audit/3-999/", "/petugas/audit/99999-1/", "/petugas/audit/1-99999999999999999999999/"]
)
def test_detail_of_an_unknown_event_is_404(path: str, inspector: Any) -> None:
    record()

    assert verified_client(inspector).get(path).status_code == 404


@pytest.mark.django_db
def test_detail_query_count(inspector: Any, django_assert_num_queries: Any) -> None:
    event = record_many(3)[1]
    client = verified_client(inspector)

    # Session, user, OTP device, memberships, the event, the next event.
    with django_assert_num_queries(6):
        client.get(_detail_url(event))


# --- Verify chain ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALLOWED_PERSONAS)
def test_verifying_an_intact_chain_says_so_and_records_the_check(
    persona: str, request: pytest.FixtureRequest
) -> None:
    record_many(4)
    user: Any = request.getfixturevalue(persona)

    response = _english(verified_client(user)).post(VERIFY_URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert "The audit log is intact." in body
    assert "4 events were checked" in body
    check = AuditEvent.objects.get(action="audit.chain_verified")
    assert check.actor_id == user.pk
    assert check.summary == {"intact": True, "events_checked": 4, "problem": None}


@pytest.mark.django_db
def test_verifying_a_tampered_chain_names_the_event(inspector: Any) -> None:
    events = record_many(4)
    raw_update(events[1], "action", "tests.rewritten")

    response = _english(verified_client(inspector)).post(VERIFY_URL)

    body = response.content.decode()
    assert "The audit log is NOT intact." in body
    assert "An event was changed after it was recorded." in body
    assert f"Stream {events[1].stream}, event #2." in body
    assert _detail_url(events[1]) in body
    check = AuditEvent.objects.get(action="audit.chain_verified")
    assert check.summary["problem"] == {"stream": events[1].stream, "sequence": 2, "kind": "tampered"}


@pytest.mark.django_db
def test_verify_chain_accepts_only_post(inspector: Any) -> None:
    assert verified_client(inspector).get(VERIFY_URL).status_code == 405
    assert not AuditEvent.objects.filter(action="audit.chain_verified").exists()


@pytest.mark.django_db
def test_pages_are_indonesian_by_default(inspector: Any) -> None:
    record()
    client = verified_client(inspector)

    body = client.get(LIST_URL).content.decode() + client.post(VERIFY_URL).content.decode()

    assert "Log audit" in body
    assert "Verifikasi rantai" in body
    assert timezone.now().year > 2000
