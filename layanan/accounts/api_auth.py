"""Authentication of ``/api/v1/`` callers (django-ninja auth classes).

* ``BearerToken``: ``Authorization: Bearer <token>`` with an API token
  (``layanan.accounts.actions.tokens``). Found by its SHA-256 digest; revoked tokens and tokens of
  inactive users are refused. Returns the token's user; the token itself is ``request.api_token``.
* ``SessionAuth``: the browser's signed-in session, for pages that call the API. Unsafe methods
  must pass Django's CSRF check (``X-CSRFToken`` header). Staff sessions count only once they
  passed the TOTP second factor, as on the staff pages. Unlike ninja's ``django_auth``, a request
  without a signed-in session is simply not authenticated by this class (no CSRF check first), so a
  machine client with a bad token gets a 401, not a CSRF 403.

Use both: ``auth=[BearerToken(), SessionAuth()]``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from layanan.accounts.actions.tokens import find_api_token, record_api_token_use
from layanan.accounts.models import User
from layanan.accounts.permissions import is_verified
from layanan.core.api_errors import ERROR_CODE_ATTRIBUTE


class CsrfFailed(HttpError):
    """A signed-in browser session sent an unsafe request without a valid CSRF token."""

    def __init__(self) -> None:
        super().__init__(403, gettext("The CSRF check failed. Reload the page and try again."))


class BearerToken(HttpBearer):
    """``Authorization: Bearer lay_...``: an API token made with ``layanan create_api_token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = find_api_token(token.strip())
        if api_token is None:
            return None
        record_api_token_use(api_token)
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (CSRF-checked; staff only after their second factor)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check happens in ``authenticate``, only for a signed-in session.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if getattr(user, "kind", None) == User.Kind.STAFF and not is_verified(user):
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            setattr(request, ERROR_CODE_ATTRIBUTE, "csrf_failed")
            raise CsrfFailed
        return user
