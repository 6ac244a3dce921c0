from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

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
    return HttpResponseRedirect(reverse("portal:home"))


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/public/profile.html")


@require_GET
def signin(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/public/signin.html")
