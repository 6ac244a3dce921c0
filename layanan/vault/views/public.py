"""The citizen's document vault (*once-only*): what we hold about them, their stored documents,
uploading one, opening one and removing one.

Only the owner ever sees a document here. Staff read documents through the application they were
shared into (``layanan.applications``), never through the vault.

Sending the upload form twice (a double click, a reload after a lost answer, the back button)
stores the document once:

* every form page carries a fresh token, kept in the session; a token whose upload succeeded sends
  the person to their list instead of storing again;
* two requests with the same token at the same time: the first claims the token in the cache and
  the second waits for its outcome;
* the same file (same stored fingerprint) of the same kind uploaded again within
  ``DUPLICATE_WINDOW`` from another form page is not stored a second time.
"""

from __future__ import annotations

import datetime
import secrets
import time
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import CitizenProfile
from layanan.accounts.permissions import citizen_required, is_citizen_user
from layanan.core.documenttypes import DOCUMENT_TYPE_LABELS
from layanan.core.downloads import document_response
from layanan.core.uploads import UPLOAD_ERROR_CODES
from layanan.vault.actions import add_vault_document, read_vault_document, remove_vault_document
from layanan.vault.forms import VaultUploadForm, max_upload_megabytes
from layanan.vault.models import VaultDocument
from layanan.vault.permissions import get_vault_document_for_user
from layanan.vault.queries import recent_identical_document, vault_documents_with_share_counts

SESSION_TOKENS = "vault_upload_tokens"
MAX_TOKENS = 20  # form pages a person may have open at once; older tokens are forgotten
CLAIM_SECONDS = 600  # how long the cache remembers a token being used
CLAIM_WAIT_SECONDS = 15.0  # how long a second request with the same token waits for the first
_PENDING = "pending"
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


# --- List --------------------------------------------------------------------------------------


@never_cache
@require_GET
@citizen_required
def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    profile = CitizenProfile.objects.filter(user=user).first()
    details = [
        {"label": _("Full name"), "value": user.full_name},
        {"label": _("National identity number (NIK)"), "value": profile.masked_nik if profile else ""},
        {"label": _("Family card (KK) number"), "value": profile.masked_kk_number if profile else ""},
        {"label": _("Address"), "value": profile.masked_address if profile else ""},
        {"label": _("Mobile number"), "value": user.masked_phone},
    ]
    documents = vault_documents_with_share_counts(user)
    return render(
        request,
        "vault/public/document_list.html",
        {"details": details, "groups": _grouped(documents)},
    )


def _grouped(documents: Any) -> list[dict[str, Any]]:
    """Documents by kind, the kinds in the order of the document type list (KTP, KK, ...)."""
    by_type: dict[str, list[VaultDocument]] = {}
    for document in documents:
        by_type.setdefault(document.document_type, []).append(document)
    order = {key: index for index, key in enumerate(DOCUMENT_TYPE_LABELS)}
    return [
        {"key": key, "label": items[0].type_label, "documents": items}
        for key, items in sorted(by_type.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]


# --- Upload ------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.method != "POST":
        kind = request.GET.get("jenis", "")
        form = VaultUploadForm(initial={"document_type": kind if kind in DOCUMENT_TYPE_LABELS else ""})
        return _upload_page(request, form, next_url, token=_issue_token(request))

    token = str(request.POST.get("token", ""))
    tokens = _tokens(request)
    if tokens.get(token):
        return _already_uploaded(request, next_url)
    form = VaultUploadForm(request.POST, request.FILES)
    if token not in tokens:
        form.is_valid()
        form.add_error(None, _("This page was open too long. Choose the file again and upload it."))
        return _upload_page(request, form, next_url, token=_issue_token(request))

    claim = f"vault:upload:{request.user.pk}:{token}"
    if not cache.add(claim, _PENDING, CLAIM_SECONDS):
        outcome = _wait_for_other_request(claim)
        if outcome != "":
            return _already_uploaded(request, next_url)
    stored = ""
    try:
        document = _store(request, form)
        if document is not None:
            stored = str(document.public_id)
    finally:
        if stored:
            cache.set(claim, stored, CLAIM_SECONDS)
        else:
            cache.delete(claim)
    if document is None:
        return _upload_page(request, form, next_url, token=token)
    tokens[token] = stored
    request.session[SESSION_TOKENS] = tokens
    return HttpResponseRedirect(next_url or reverse("vault:list"))


def _store(request: AuthenticatedHttpRequest, form: VaultUploadForm) -> VaultDocument | None:
    """The stored document (a new one, or the same file stored moments ago), or ``None`` with the
    form carrying the errors."""
    if not form.is_valid() or form.checked is None:
        return None
    user = request.user
    document_type = form.cleaned_data["document_type"]
    earlier = _recent_duplicate(user, document_type, form.checked.sha256)
    if earlier is not None:
        messages.info(
            request,
            _("You had already uploaded this file as “%(kind)s”. It is kept once.")
            % {"kind": earlier.type_label},
        )
        return earlier
    try:
        document = add_vault_document(
            owner=user,
            upload=form.cleaned_data["file"],
            document_type=document_type,
            actor=user,
            checked=form.checked,
        )
    except ValidationError as error:
        code = getattr(error, "code", None)
        field = "document_type" if code == "document_type" else "file" if code in UPLOAD_ERROR_CODES else None
        form.add_error(field, error)
        return None
    messages.success(
        request,
        _("“%(name)s” is now in your documents as “%(kind)s”.")
        % {"name": document.display_name, "kind": document.type_label},
    )
    return document


def _recent_duplicate(owner: Any, document_type: str, sha256: str) -> VaultDocument | None:
    return recent_identical_document(owner, document_type, sha256, timezone.now() - DUPLICATE_WINDOW)


def _upload_page(request: HttpRequest, form: VaultUploadForm, next_url: str, *, token: str) -> HttpResponse:
    return render(
        request,
        "vault/public/document_upload.html",
        {
            "form": form,
            "token": token,
            "next_url": next_url,
            "list_url": reverse("vault:list"),
            "max_megabytes": max_upload_megabytes(),
        },
    )


def _tokens(request: HttpRequest) -> dict[str, str]:
    """Upload tokens issued to this session: ``{token: ""}``, or the stored document's id once used."""
    found = request.session.get(SESSION_TOKENS)
    return dict(found) if isinstance(found, dict) else {}


def _issue_token(request: HttpRequest) -> str:
    tokens = _tokens(request)
    token = secrets.token_urlsafe(24)
    tokens[token] = ""
    request.session[SESSION_TOKENS] = dict(list(tokens.items())[-MAX_TOKENS:])
    return token


def _wait_for_other_request(claim: str) -> str:
    """Wait for the request holding ``claim``: the id it stored, ``"pending"`` when it takes too
    long, or ``""`` when it stored nothing (then this request has taken the claim over)."""
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        value = cache.get(claim)
        if value is None:
            if cache.add(claim, _PENDING, CLAIM_SECONDS):
                return ""
            continue
        if value != _PENDING or time.monotonic() >= deadline:
            return str(value)
        time.sleep(0.2)


def _already_uploaded(request: HttpRequest, next_url: str) -> HttpResponse:
    messages.info(request, _("This form was already sent: your document is stored once."))
    return HttpResponseRedirect(next_url or reverse("vault:list"))


def _next_url(request: HttpRequest) -> str:
    """Where to go after uploading (a page of this site, for example an application form)."""
    candidate = request.GET.get("next", "")
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


# --- One document ------------------------------------------------------------------------------


@require_GET
def document_file(request: HttpRequest, document: uuid.UUID) -> HttpResponse:
    """The decrypted file, to its owner only: 404 for everyone else, staff included."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:signin"))
    if not is_citizen_user(request.user):
        raise Http404
    found = get_vault_document_for_user(request.user, document)
    return document_response(
        read_vault_document(found), content_type=found.content_type, display_name=found.display_name
    )


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def remove(request: AuthenticatedHttpRequest, document: uuid.UUID) -> HttpResponse:
    found = get_vault_document_for_user(request.user, document)
    if request.method == "POST":
        remove_vault_document(found, actor=request.user)
        messages.success(
            request, _("“%(name)s” has been removed from your documents.") % {"name": found.display_name}
        )
        return redirect("vault:list")
    return render(
        request,
        "vault/public/document_remove.html",
        {"document": found, "share_count": found.shares.count()},
    )
