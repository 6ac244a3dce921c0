"""Complaint deadlines per region (``/petugas/pengaduan/kebijakan/``): only platform
administrators, the list (counted queries), editing the national default and adding a regency's
own row, ranges refused with a 400 that keeps the input, the action's own checks and audit event,
and the saved deadlines used by ``actions.policy_for`` for new reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import User
from layanan.accounts.tests.factories import region
from layanan.audit.models import AuditEvent
from layanan.complaints import actions
from layanan.complaints.actions_policy import save_policy
from layanan.complaints.models import ComplaintPolicy
from layanan.complaints.tests.factories import district, report
from layanan.core.testing import verified_client

pytestmark = pytest.mark.django_db

LIST = "/petugas/pengaduan/kebijakan/"
NATIONAL = "/petugas/pengaduan/kebijakan/nasional/"
SEMARANG = "/petugas/pengaduan/kebijakan/33.74/"
VALUES: dict[str, Any] = {
    "verification_working_days": 4,
    "first_answer_working_days": 6,
    "reply_days": 12,
    "light_working_days": 3,
    "normative_working_days": 7,
    "no_audit_working_days": 15,
    "audit_working_days": 90,
    "inspectorate_after_working_days": 4,
    "auto_dispose_confidence": 0.9,
    "reopen_rating_at_most": 3,
}


def _signed_in(user: User, language: str = "en") -> Client:
    client = verified_client(user)
    client.cookies["layanan_language"] = language
    return client


def _text(response: Any) -> str:
    return str(response.content.decode())


def _rows() -> list[tuple[Any, ...]]:
    """Every policy row as it is stored (a migration seeds the national default)."""
    return list(ComplaintPolicy.objects.order_by("region_id").values_list("region_id", *VALUES))


def _posted(**changes: Any) -> dict[str, str]:
    data = {key: "" if value is None else str(value) for key, value in VALUES.items()}
    data.update({key: str(value) for key, value in changes.items()})
    return data


def test_url_names() -> None:
    assert reverse("complaints:staff-policies") == LIST
    assert reverse("complaints:staff-policy-edit", kwargs={"region": "nasional"}) == NATIONAL
    assert reverse("complaints:staff-policy-edit", kwargs={"region": "33.74"}) == SEMARANG


# --- Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "inspector", "front_officer", "officer"])
def test_only_platform_admins(request: pytest.FixtureRequest, persona: str) -> None:
    before = _rows()
    client = _signed_in(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(NATIONAL).status_code == 403
    assert client.post(NATIONAL, _posted()).status_code == 403
    assert _rows() == before


def test_citizens_are_refused(citizen: User) -> None:
    client = Client()
    client.force_login(citizen)
    assert client.get(LIST).status_code == 403


def test_the_action_refuses_anyone_but_an_admin(coordinator: User) -> None:
    before = _rows()
    with pytest.raises(PermissionDenied):
        save_policy(region=None, values=VALUES, actor=coordinator)
    with pytest.raises(PermissionDenied):
        save_policy(region=None, values=VALUES, actor=None)
    assert _rows() == before


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_every_row_in_few_queries(
    admin_user: User, django_assert_max_num_queries: Any
) -> None:
    for code in ("33", "33.74", "33.02", "34", "35.01"):
        save_policy(region=region(code, f"Wilayah {code}"), values=VALUES, actor=admin_user)
    client = _signed_in(admin_user)
    client.get(LIST)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    html = _text(response)
    assert response.status_code == 200
    for code in ("33", "33.74", "33.02", "34", "35.01"):
        assert f'id="policy-{code}"' in html
    assert 'id="policy-nasional"' in html
    assert "reports received (or disposed) after the change" in html


def test_adding_a_region_goes_to_its_page(admin_user: User) -> None:
    region("33.74", "Kota Semarang")
    client = _signed_in(admin_user)
    response = client.get(LIST, {"region": "33.74"})
    assert response.status_code == 302
    assert response["Location"] == SEMARANG
    bad = client.get(LIST, {"region": "99.99"})
    assert bad.status_code == 400
    assert 'href="#id_region"' in _text(bad)
    assert 'value="99.99"' in _text(bad)
    assert client.get(LIST, {"region": district().code}).status_code == 400


def test_a_district_or_unknown_region_has_no_page(admin_user: User) -> None:
    client = _signed_in(admin_user)
    assert client.get(f"{LIST}{district().code}/").status_code == 404
    assert client.get(f"{LIST}99/").status_code == 404


# --- Editing --------------------------------------------------------------------------------------


def test_the_national_default_is_saved_audited_and_used(admin_user: User) -> None:
    client = _signed_in(admin_user)
    page = client.get(NATIONAL)
    assert page.status_code == 200
    assert 'name="verification_working_days" value="3"' in _text(page)
    response = client.post(NATIONAL, _posted())
    assert response.status_code == 302
    assert response["Location"] == LIST
    policy = ComplaintPolicy.objects.get(region__isnull=True)
    for field, value in VALUES.items():
        assert getattr(policy, field) == value
    used = actions.policy_for(district())
    assert used.pk == policy.pk
    event = AuditEvent.objects.get(action="complaints.policy_saved")
    assert event.actor_id == admin_user.pk
    assert event.summary["region"] == "national"
    assert event.summary["changes"]["audit_working_days"] == [60, 90]


def test_a_change_is_audited_with_before_and_after(admin_user: User) -> None:
    save_policy(region=None, values=VALUES, actor=admin_user)
    client = _signed_in(admin_user)
    assert client.post(NATIONAL, _posted(reply_days=20, auto_dispose_confidence="")).status_code == 302
    policy = ComplaintPolicy.objects.get(region__isnull=True)
    assert policy.reply_days == 20
    assert policy.auto_dispose_confidence is None
    event = AuditEvent.objects.filter(action="complaints.policy_saved").order_by("-id").first()
    assert event is not None
    assert event.summary["changes"] == {"reply_days": [12, 20], "auto_dispose_confidence": [0.9, None]}


def test_a_regency_row_wins_for_its_reports(admin_user: User) -> None:
    save_policy(region=None, values=VALUES, actor=admin_user)
    region("33.74", "Kota Semarang")
    client = _signed_in(admin_user)
    page = _text(client.get(SEMARANG))
    assert "no deadlines of its own yet" in page
    assert 'name="verification_working_days" value="4"' in page  # inherited from the national row
    assert client.post(SEMARANG, _posted(first_answer_working_days=2)).status_code == 302
    own = actions.policy_for(district())
    assert own.region_id == "33.74"
    assert own.first_answer_working_days == 2
    assert actions.policy_for(region("33.02", "Kabupaten Banyumas")).region_id is None
    complaint = report().complaint
    definition = actions.definition_for(complaint.kind, complaint.resolution_class, own)
    assert next(a for a in definition.alarms if a.key == "first_answer").working_days == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("verification_working_days", "0"),
        ("first_answer_working_days", "366"),
        ("audit_working_days", "lima"),
        ("reply_days", ""),
        ("auto_dispose_confidence", "0.4"),
        ("auto_dispose_confidence", "1.5"),
        ("auto_dispose_confidence", "abc"),
        ("reopen_rating_at_most", "5"),
    ],
)
def test_values_out_of_range_answer_400_and_keep_the_input(admin_user: User, field: str, value: str) -> None:
    before = _rows()
    data = _posted(**{field: value}, light_working_days=9)
    response = _signed_in(admin_user).post(NATIONAL, data)
    assert response.status_code == 400
    html = _text(response)
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert 'name="light_working_days" value="9"' in html
    assert _rows() == before
    assert not AuditEvent.objects.filter(action="complaints.policy_saved").exists()


def test_the_action_checks_the_ranges_itself(admin_user: User) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        save_policy(
            region=None,
            values={**VALUES, "reply_days": 0, "auto_dispose_confidence": 2},
            actor=admin_user,
        )
    assert set(caught.value.message_dict) == {"reply_days", "auto_dispose_confidence"}
    with pytest.raises(ValidationError):
        save_policy(region=district(), values=VALUES, actor=admin_user)
    assert _rows() == before


def test_the_indonesian_page_renders(admin_user: User) -> None:
    client = _signed_in(admin_user, "id")
    assert client.get(LIST).status_code == 200
    assert client.get(NATIONAL).status_code == 200
