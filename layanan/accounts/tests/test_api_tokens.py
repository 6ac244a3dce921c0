"""API tokens: the actions, the ``create_api_token`` command and the bearer/session auth classes."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from layanan.accounts.actions.tokens import (
    create_api_token,
    find_api_token,
    record_api_token_use,
    revoke_api_token,
    token_digest,
)
from layanan.accounts.api_auth import BearerToken, CsrfFailed, SessionAuth
from layanan.accounts.models import ApiToken, User
from layanan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Actions --------------------------------------------------------------------------------------


def test_create_stores_the_digest_and_prefix_never_the_token(citizen: User) -> None:
    api_token, token = create_api_token(citizen, name="  Aplikasi desa  ", actor=None)

    stored = ApiToken.objects.get()
    assert token.startswith("lay_")
    assert len(token) >= 40
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest() == token_digest(token)
    assert stored.prefix == token[:8]
    assert stored.name == "Aplikasi desa"
    assert stored.user == citizen
    assert (stored.last_used_at, stored.revoked_at) == (None, None)
    assert token not in {value for value in vars(stored).values() if isinstance(value, str)}
    event = AuditEvent.objects.get(action="accounts.api_token_created")
    assert event.object_id == str(api_token.pk)
    assert event.summary == {"user_id": citizen.pk, "fields": ["user", "name", "prefix", "digest"]}
    assert token not in str(event.summary)
    assert stored.prefix not in str(event.summary)


def test_every_token_is_different(citizen: User) -> None:
    tokens = {create_api_token(citizen, name=f"t{n}", actor=None)[1] for n in range(5)}

    assert len(tokens) == 5
    assert ApiToken.objects.values("digest").distinct().count() == 5


def test_the_user_and_platform_admins_may_make_tokens_others_may_not(
    citizen: User, other_citizen: User, admin_user: User, officer: User
) -> None:
    create_api_token(citizen, name="sendiri", actor=citizen)
    create_api_token(citizen, name="oleh admin", actor=admin_user)
    before = AuditEvent.objects.count()

    for actor in (other_citizen, officer):
        with pytest.raises(PermissionDenied):
            create_api_token(citizen, name="bukan milikmu", actor=actor)

    assert ApiToken.objects.count() == 2
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_sensible_name(citizen: User, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create_api_token(citizen, name=name, actor=None)

    assert caught.value.code == "name"
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_no_token_for_an_inactive_account(citizen: User) -> None:
    citizen.is_active = False
    citizen.save()

    with pytest.raises(ValidationError) as caught:
        create_api_token(citizen, name="x", actor=None)

    assert caught.value.code == "inactive"
    assert not ApiToken.objects.exists()


def test_revoke_is_audited_once_and_stops_the_token(citizen: User) -> None:
    api_token, token = create_api_token(citizen, name="x", actor=None)

    revoked = revoke_api_token(api_token, actor=citizen)
    again = revoke_api_token(api_token, actor=citizen)

    assert revoked.revoked_at is not None
    assert again.revoked_at == revoked.revoked_at
    assert AuditEvent.objects.filter(action="accounts.api_token_revoked").count() == 1
    assert AuditEvent.objects.get(action="accounts.api_token_revoked").summary == {
        "user_id": citizen.pk,
        "changed": ["revoked_at"],
    }
    assert find_api_token(token) is None


def test_someone_else_cannot_revoke_a_token(citizen: User, other_citizen: User) -> None:
    api_token, token = create_api_token(citizen, name="x", actor=None)
    before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        revoke_api_token(api_token, actor=other_citizen)

    api_token.refresh_from_db()
    assert api_token.revoked_at is None
    assert AuditEvent.objects.count() == before
    assert find_api_token(token) == api_token


def test_find_refuses_unknown_revoked_oversized_and_inactive(citizen: User) -> None:
    api_token, token = create_api_token(citizen, name="x", actor=None)

    assert find_api_token(token) == api_token
    assert find_api_token(token + "x") is None
    assert find_api_token(token[:-1]) is None
    assert find_api_token("") is None
    assert find_api_token("x" * 5000) is None
    assert find_api_token(api_token.digest) is None  # the stored digest is not a token
    citizen.is_active = False
    citizen.save()
    assert find_api_token(token) is None


def test_last_used_is_written_at_most_once_a_minute(citizen: User) -> None:
    api_token, _token = create_api_token(citizen, name="x", actor=None)
    start = timezone.now()

    record_api_token_use(api_token, now=start)
    record_api_token_use(api_token, now=start + datetime.timedelta(seconds=30))
    api_token.refresh_from_db()
    assert api_token.last_used_at == start

    # Another process holding a stale copy does not move it within the minute either.
    stale = ApiToken.objects.get(pk=api_token.pk)
    stale.last_used_at = None
    record_api_token_use(stale, now=start + datetime.timedelta(seconds=45))
    api_token.refresh_from_db()
    assert api_token.last_used_at == start

    later = start + datetime.timedelta(seconds=61)
    record_api_token_use(api_token, now=later)
    api_token.refresh_from_db()
    assert api_token.last_used_at == later


# --- Command --------------------------------------------------------------------------------------


def test_command_prints_the_token_once_and_stores_only_its_digest(citizen: User) -> None:
    out = StringIO()

    call_command("create_api_token", citizen.username, "Sistem kelurahan", stdout=out)

    printed = out.getvalue()
    api_token = ApiToken.objects.get()
    token = printed.strip().splitlines()[-1]
    assert token.startswith("lay_")
    assert printed.count(token) == 1
    assert f"{token[:8]}…" in printed
    assert api_token.digest == token_digest(token)
    assert api_token.name == "Sistem kelurahan"
    event = AuditEvent.objects.get(action="accounts.api_token_created")
    assert event.actor_id is None


def test_command_refuses_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "tidak-ada", "x", stdout=StringIO())

    assert not ApiToken.objects.exists()


def test_command_reports_a_bad_name(citizen: User) -> None:
    with pytest.raises(CommandError):
        call_command("create_api_token", citizen.username, "   ", stdout=StringIO())

    assert not ApiToken.objects.exists()


# --- Auth classes ---------------------------------------------------------------------------------


def _bearer(token: str) -> User | None:
    request = RequestFactory().get("/api/v1/x", HTTP_AUTHORIZATION=f"Bearer {token}")
    return BearerToken()(request)


def test_bearer_accepts_a_live_token_and_notes_its_use(citizen: User) -> None:
    api_token, token = create_api_token(citizen, name="x", actor=None)

    assert _bearer(token) == citizen
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


def test_bearer_refuses_revoked_and_unknown_tokens(citizen: User) -> None:
    api_token, token = create_api_token(citizen, name="x", actor=None)
    revoke_api_token(api_token, actor=None)

    assert _bearer(token) is None
    assert _bearer("lay_unknown") is None
    assert BearerToken()(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Basic {token}")) is None


def _session_request(user: User, *, method: str = "post", verified: bool = True) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/api/v1/x") if method == "post" else factory.get("/api/v1/x")
    request.user = user
    request.COOKIES["sessionid"] = "s"
    if user.kind == User.Kind.STAFF:
        user.is_verified = lambda: verified  # type: ignore[attr-defined]
    return request


def test_session_auth_checks_csrf_for_a_signed_in_session(citizen: User) -> None:
    with pytest.raises(CsrfFailed):
        SessionAuth()(_session_request(citizen))

    assert SessionAuth()(_session_request(citizen, method="get")) == citizen


def test_session_auth_needs_the_staff_second_factor(officer: User) -> None:
    assert SessionAuth()(_session_request(officer, method="get", verified=False)) is None
    assert SessionAuth()(_session_request(officer, method="get", verified=True)) == officer


def test_session_auth_ignores_anonymous_requests_without_a_csrf_check() -> None:
    request = RequestFactory().post("/api/v1/x")
    request.user = AnonymousUser()
    request.COOKIES["sessionid"] = "s"

    assert SessionAuth()(request) is None


def test_revoke_command_stops_the_named_token(citizen: User) -> None:
    out = StringIO()
    call_command("create_api_token", citizen.username, "Sistem kelurahan", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]

    call_command("revoke_api_token", citizen.username, token[:8], stdout=StringIO())

    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.api_token_revoked").count() == 1
    with pytest.raises(CommandError, match="0 tokens"):
        call_command("revoke_api_token", citizen.username, "lay_none", stdout=StringIO())
