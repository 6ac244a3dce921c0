"""Complaint deadlines per region (``/petugas/pengaduan/kebijakan/``), for platform administrators:
the list of ``ComplaintPolicy`` rows (the national default first) and the page that edits one, or
adds one for a province or a regency. Writes go through ``actions_policy.save_policy``.

New deadlines apply to reports submitted (or disposed) after the change: a running report keeps
the workflow version it started with (``actions.stored_workflow_for``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_role_required
from layanan.accounts.roles import Role
from layanan.complaints.actions import policy_for
from layanan.complaints.actions_policy import POLICY_FIELDS, save_policy
from layanan.complaints.forms_staff_policy import NATIONAL, AddRegionForm, PolicyForm
from layanan.complaints.models import ComplaintPolicy
from layanan.regions.models import Region


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [{"label": _("Staff workspace"), "href": reverse("accounts:staff-dashboard")}]
    crumbs.extend({"label": label, "href": href} for label, href in extra)
    return crumbs


def edit_url(region: Region | None) -> str:
    return reverse("complaints:staff-policy-edit", kwargs={"region": region.code if region else NATIONAL})


@never_cache
@require_GET
@staff_role_required(Role.PLATFORM_ADMIN)
def policies(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every policy row; ``?region=<code>`` (the add form) goes to that region's edit page."""
    add_form = AddRegionForm(request.GET) if "region" in request.GET else AddRegionForm()
    if add_form.is_bound and add_form.is_valid():
        return redirect(edit_url(add_form.cleaned_data["region"]))
    rows = list(ComplaintPolicy.objects.select_related("region").order_by("region_id"))
    national = next((row for row in rows if row.region_id is None), None)
    regional = [row for row in rows if row.region_id is not None]
    context = {
        "national": national,
        "national_defaults": national or ComplaintPolicy(),
        "regional": regional,
        "add_form": add_form,
        "national_url": edit_url(None),
        "crumbs": _crumbs(),
    }
    return render(
        request, "complaints/staff/policy_list.html", context, status=400 if add_form.errors else 200
    )


def _region(code: str) -> Region | None:
    if code == NATIONAL:
        return None
    found = Region.objects.filter(code=code, level__lte=Region.Level.REGENCY).first()
    if found is None:
        raise Http404
    return found


@never_cache
@require_http_methods(["GET", "POST"])
@staff_role_required(Role.PLATFORM_ADMIN)
def policy_edit(request: AuthenticatedHttpRequest, region: str) -> HttpResponse:
    place = _region(region)
    rows = ComplaintPolicy.objects.select_related("region")
    own = (rows.filter(region=place) if place is not None else rows.filter(region__isnull=True)).first()
    # Without its own row, the region starts from what applies to it now (a wider region's row).
    inherited = own is None and place is not None
    current = own if own is not None else policy_for(place)
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                save_policy(region=place, values=form.values(), actor=request.user)
            except ValidationError as error:
                form.show_action_errors(error.message_dict)
            else:
                messages.success(
                    request, _("The deadlines were saved. They apply to reports received from now on.")
                )
                return redirect("complaints:staff-policies")
        status = 400
    else:
        initial: dict[str, Any] = {field: getattr(current, field) for field in POLICY_FIELDS}
        initial["reopen_rating_at_most"] = str(current.reopen_rating_at_most)
        form = PolicyForm(initial=initial)
    context = {
        "form": form,
        "place": place,
        "own": own,
        "inherited": inherited,
        "inherited_from": current.region if inherited and current.pk else None,
        "crumbs": _crumbs((_("Complaint deadlines"), reverse("complaints:staff-policies"))),
    }
    return render(request, "complaints/staff/policy_edit.html", context, status=status)
