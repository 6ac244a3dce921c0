"""Open311 clients, for platform administrators: the list, a new client (its key shown once) and
revoking a client's key (``/petugas/open311/``)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_required
from layanan.open311.actions import create_open311_client, revoke_open311_client
from layanan.open311.forms import ClientForm
from layanan.open311.models import Open311Client
from layanan.open311.permissions import can_manage_clients
from layanan.open311.queries import clients_for_admin
from layanan.open311.views.api import endpoint_url

CLIENTS_PER_PAGE = 50


def _check(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_clients(request.user):
        raise PermissionDenied


@never_cache
@require_GET
@staff_required
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    page = Paginator(clients_for_admin(), CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "open311/staff/client_list.html", {"page": page, "endpoint": endpoint_url()})


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def client_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, key = create_open311_client(actor=request.user, **form.action_arguments())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the key exists only in this response.
            context = {"client": client, "key": key, "endpoint": endpoint_url()}
            return render(request, "open311/staff/client_created.html", context)
    return render(request, "open311/staff/client_form.html", {"form": form})


@require_POST
@staff_required
def client_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    try:
        public_id = uuid.UUID(str(request.POST.get("client", "")))
    except ValueError:
        raise Http404 from None
    client = Open311Client.objects.filter(public_id=public_id).first()
    if client is None:
        raise Http404
    revoke_open311_client(client, actor=request.user)
    messages.success(request, _("The key of %(name)s no longer works.") % {"name": client.name})
    return redirect("open311-staff:client-list")
