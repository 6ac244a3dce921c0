"""Citizen-facing pages: the agency directory and the citizen's own account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.actions import update_citizen_profile
from layanan.accounts.forms import ProfileForm
from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.permissions import citizen_required
from layanan.accounts.queries import public_agencies


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/public/agency_list.html", {"agencies": public_agencies()})


@require_GET
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(public_agencies(), slug=slug)
    return render(request, "accounts/public/agency_detail.html", {"agency": agency})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return HttpResponseRedirect(reverse("portal:home"))


@never_cache
@require_GET
@citizen_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    citizen_profile = CitizenProfile.objects.filter(user=user).select_related("region").first()
    rows = [
        {"label": _("Full name"), "value": user.full_name},
        {"label": _("E-mail address"), "value": user.masked_email},
        {"label": _("Mobile number"), "value": user.masked_phone},
    ]
    if citizen_profile is not None:
        rows += [
            {"label": _("National identity number (NIK)"), "value": citizen_profile.masked_nik},
            {"label": _("Family card (KK) number"), "value": citizen_profile.masked_kk_number},
            {"label": _("Address"), "value": citizen_profile.masked_address},
            {
                "label": _("Regency or city"),
                "value": citizen_profile.region.name if citizen_profile.region else "",
            },
        ]
    return render(request, "accounts/public/profile_detail.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    citizen_profile = CitizenProfile.objects.filter(user=user).first() or CitizenProfile(user=user)
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "address": citizen_profile.address,
            "region": citizen_profile.region_id,
        },
        masked_nik=citizen_profile.masked_nik,
        masked_kk_number=citizen_profile.masked_kk_number,
    )
    if request.method == "POST" and form.is_valid() and _save_profile(form, user, citizen_profile):
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/public/profile_form.html", {"form": form})


def _save_profile(form: ProfileForm, user: User, citizen_profile: CitizenProfile) -> bool:
    data = form.cleaned_data
    try:
        update_citizen_profile(
            user,
            actor=user,
            full_name=data["full_name"],
            nik=data["nik"],
            kk_number=data["kk_number"],
            address=data["address"],
            # Without regions loaded the field is not on the form: the saved region stays.
            region=data.get("region", citizen_profile.region),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
