"""A request type for views that only run for a signed-in user (after ``staff_required`` or
``citizen_required``), so view code can use ``request.user`` as a ``User`` without casts."""

from __future__ import annotations

from django.http import HttpRequest

from layanan.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
