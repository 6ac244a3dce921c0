"""The staff workspace: the dashboard and staff management (platform admins and unit heads)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.actions import create_staff_member, deactivate_membership
from layanan.accounts.forms import StaffCreateForm
from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import User
from layanan.accounts.permissions import (
    can_deactivate_membership,
    can_view_staff_list,
    get_membership_for_user,
    has_any_role,
    staff_required,
)
from layanan.accounts.queries import active_memberships_of, staff_memberships_visible_to
from layanan.accounts.roles import Role

STAFF_PER_PAGE = 50

# Staff pages of the platform by URL name, and the roles that work on them. A page whose app is
# not installed yet (its URL name does not resolve) is left out.
STAFF_PAGES: list[tuple[str, Promise, frozenset[str]]] = [
    (
        "applications:staff-queue",
        gettext_lazy("Applications to work on"),
        frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD, Role.INSPECTORATE}),
    ),
    (
        "applications:counter-start",
        gettext_lazy("Counter: apply for a walk-in citizen"),
        frozenset({Role.FRONT_OFFICE}),
    ),
    ("applications:staff-workload", gettext_lazy("Workload and overdue cases"), frozenset({Role.UNIT_HEAD})),
    (
        "complaints:staff-queue",
        gettext_lazy("Complaints to handle"),
        frozenset({Role.COMPLAINT_COORDINATOR, Role.INSPECTORATE, Role.BACK_OFFICE, Role.UNIT_HEAD}),
    ),
    (
        "complaints:staff-new",
        gettext_lazy("Record a telephone or walk-in report"),
        frozenset({Role.COMPLAINT_COORDINATOR, Role.INSPECTORATE, Role.FRONT_OFFICE}),
    ),
    (
        "queueing:counters",
        gettext_lazy("Queue counters"),
        frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD, Role.PLATFORM_ADMIN}),
    ),
    (
        "survey:staff-overview",
        gettext_lazy("Satisfaction survey (SKM)"),
        frozenset(
            {Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD, Role.INSPECTORATE, Role.PLATFORM_ADMIN}
        ),
    ),
    ("complaints:staff-policies", gettext_lazy("Complaint deadlines"), frozenset({Role.PLATFORM_ADMIN})),
    ("open311-staff:client-list", gettext_lazy("Open311 clients"), frozenset({Role.PLATFORM_ADMIN})),
    (
        "workdays:holiday-list",
        gettext_lazy("National holidays and collective leave"),
        frozenset({Role.PLATFORM_ADMIN}),
    ),
    (
        "workdays:closure-list",
        gettext_lazy("Office closures"),
        frozenset({Role.PLATFORM_ADMIN, Role.UNIT_HEAD}),
    ),
    ("audit:event-list", gettext_lazy("Audit log"), frozenset({Role.PLATFORM_ADMIN, Role.INSPECTORATE})),
    (
        "accounts:staff-list",
        gettext_lazy("Staff and roles"),
        frozenset({Role.PLATFORM_ADMIN, Role.UNIT_HEAD}),
    ),
    (
        "catalog:staff-service-list",
        gettext_lazy("Service standards"),
        frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD}),
    ),
    (
        "catalog:staff-promise-list",
        gettext_lazy("Service promises"),
        frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD, Role.PLATFORM_ADMIN}),
    ),
]


def reverse_if_exists(name: str) -> str | None:
    """The URL of ``name``, or ``None`` while no app provides it."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def staff_links(user: User) -> list[tuple[str, Promise]]:
    links = []
    for name, label, roles in STAFF_PAGES:
        url = reverse_if_exists(name)
        if url is not None and has_any_role(user, roles):
            links.append((url, label))
    return links


@never_cache
@require_GET
@staff_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"memberships": active_memberships_of(request.user), "links": staff_links(request.user)}
    return render(request, "accounts/staff/dashboard.html", context)


@never_cache
@require_GET
@staff_required
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_staff_list(request.user):
        raise PermissionDenied
    page = Paginator(staff_memberships_visible_to(request.user), STAFF_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(membership, can_deactivate_membership(request.user, membership)) for membership in page]
    return render(request, "accounts/staff/staff_list.html", {"page": page, "rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def staff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_staff_list(request.user):
        raise PermissionDenied
    form = StaffCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = create_staff_member(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                agency=data.get("agency"),
                unit=data.get("unit"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The account %(username)s was created. We sent an e-mail with a link to choose a password.")
                % {"username": created.username},
            )
            return redirect("accounts:staff-list")
    return render(request, "accounts/staff/staff_form.html", {"form": form})


@require_POST
@staff_required
def membership_deactivate(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    membership = get_membership_for_user(request.user, public_id)
    deactivate_membership(membership, actor=request.user)
    messages.success(
        request,
        _("%(name)s no longer holds the role %(role)s.")
        % {"name": membership.user, "role": membership.get_role_display()},
    )
    return redirect("accounts:staff-list")
