"""The citizen's online application, GOV.UK style: one thing per page, nothing typed is ever lost.

* ``start``: what is needed (requirements, fee, time); creates or resumes the one draft per
  service and goes to the first page.
* ``form_page``: one page of the service's form. Every POST saves the draft (also invalid answers);
  "Save and continue" checks the page, "Save and come back later" leaves. The address's village is
  picked without JavaScript, a level at a time; a question that reveals a follow-up shows it after
  the page is sent.
* ``check``: *check your answers*, with a "Change" link per answer; sending posts the draft's
  submission key, so a double click or a retry makes one application.
* ``confirmation``: the reference and the tracking code, shown once (it travels in the session,
  never in a URL).
* ``my_applications``, ``detail``: the citizen's applications and drafts, and a case page.
* ``correct``: an application returned for correction is corrected and sent back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import User
from layanan.accounts.permissions import citizen_required
from layanan.applications.actions import (
    ServiceNotOpen,
    discard_draft,
    ensure_service_config,
    form_of,
    resubmit_application,
    save_draft,
    submit_application,
)
from layanan.applications.formspec import (
    FieldKind,
    FormField,
    FormPage,
    FormSpec,
    display,
    validate_answers,
    visible_fields,
)
from layanan.applications.models import Application, ApplicationDocument, ApplicationDraft, ApplicationEvent
from layanan.applications.notices import contact_of
from layanan.applications.permissions import get_application_for_user, get_draft_for_user
from layanan.applications.webforms import (
    ApplicationForm,
    answer_text,
    extra_errors,
    prefill,
    read_answers,
    store_uploads,
)
from layanan.catalog.models import Service
from layanan.core.masking import mask_email, mask_phone
from layanan.vault.models import VaultDocument
from layanan.vault.queries import vault_documents_of
from layanan.workflow.models import TimelineEvent

# Tracking secrets of just-submitted applications, {reference: secret}, popped when first shown.
SECRETS_SESSION_KEY = "applications_tracking_secrets"
RETURNED_STATE = "returned_for_correction"


# Services that take applications -----------------------------------------------------------------


def _service(slug: str) -> Service:
    service = Service.objects.select_related("unit__agency", "adopted_standard").filter(slug=slug).first()
    if service is None:
        raise Http404(slug)
    return service


def _open_spec(service: Service) -> FormSpec:
    """The form of a service that takes applications online now, or ``ServiceNotOpen``."""
    if not service.is_active:
        raise ServiceNotOpen(_("This service is not offered at the moment."), code="inactive")
    if not service.is_online:
        raise ServiceNotOpen(_("This service is only available at the counter."), code="counter_only")
    standard = service.adopted_standard
    if standard is None or standard.components() is None:
        raise ServiceNotOpen(_("This service has no adopted standard yet."), code="no_standard")
    return form_of(ensure_service_config(service))


def _not_open(request: AuthenticatedHttpRequest, service: Service, error: ValidationError) -> HttpResponse:
    context = {"service": service, "reason": " ".join(str(message) for message in error.messages)}
    return render(request, "applications/public/not_open.html", context, status=409)


# Pages of the form -------------------------------------------------------------------------------


def _visible_pages(spec: FormSpec, answers: Mapping[str, Any]) -> list[FormPage]:
    return [page for page in spec.pages if visible_fields(spec, answers, page)]


def _page_url(draft: ApplicationDraft, page: FormPage, *, to_check: bool = False) -> str:
    url = reverse("applications:form-page", kwargs={"draft": draft.public_id, "page": page.key})
    return f"{url}?{urlencode({'return': 'check'})}" if to_check else url


def _check_url(draft: ApplicationDraft) -> str:
    return reverse("applications:check", kwargs={"draft": draft.public_id})


def _neighbour(spec: FormSpec, answers: Mapping[str, Any], page: FormPage, step: int) -> FormPage | None:
    """The visible page before (``step=-1``) or after (``step=1``) ``page``."""
    keys = [item.key for item in spec.pages]
    visible = {item.key for item in _visible_pages(spec, answers)}
    index = keys.index(page.key) + step
    while 0 <= index < len(keys):
        if keys[index] in visible:
            return spec.pages[index]
        index += step
    return None


def _field_anchor(item: FormField) -> str:
    if item.kind in (FieldKind.ADDRESS, FieldKind.DOCUMENT):
        return f"field-{item.key}"
    if item.kind in (FieldKind.CHOICE, FieldKind.YES_NO):
        return f"id_{item.key}_0"
    return f"id_{item.key}"


def _documents_map(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, str]:
    return {
        item.key: str(answers[item.key])
        for item in visible_fields(spec, answers)
        if item.kind == FieldKind.DOCUMENT and answers.get(item.key)
    }


def _by_type(documents: Sequence[VaultDocument]) -> dict[str, list[VaultDocument]]:
    found: dict[str, list[VaultDocument]] = {}
    for document in documents:
        found.setdefault(document.document_type, []).append(document)
    return found


def _errors_for(
    spec: FormSpec, answers: Mapping[str, Any], documents: Sequence[VaultDocument], page: FormPage | None
) -> dict[str, list[str]]:
    known = {str(document.public_id) for document in documents}
    _cleaned, errors = validate_answers(spec, answers, page=page, known_documents=known)
    for key, found in extra_errors(visible_fields(spec, answers, page), answers).items():
        errors.setdefault(key, found)
    return errors


def _read_posted(
    request: AuthenticatedHttpRequest, fields: Sequence[FormField], answers: dict[str, Any]
) -> tuple[set[str], dict[str, list[str]]]:
    """Read the questions the person saw (``_shown``) into ``answers`` and store the uploads."""
    shown_keys = set(request.POST.getlist("_shown"))
    shown = [item for item in fields if item.key in shown_keys]
    answers.update(read_answers(shown, request.POST))
    return shown_keys, store_uploads(
        request.FILES, shown, owner=request.user, actor=request.user, answers=answers
    )


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = _service(slug)
    try:
        spec = _open_spec(service)
    except ServiceNotOpen as error:
        return _not_open(request, service, error)
    draft = ApplicationDraft.objects.filter(applicant=request.user, service=service).first()
    if request.method == "POST":
        if draft is None:
            draft = save_draft(
                service=service,
                applicant=request.user,
                answers=prefill(spec.fields(), request.user),
                documents={},
            )
        return redirect(_page_url(draft, _visible_pages(spec, draft.answer_data())[0]))
    standard = service.adopted_standard
    components = standard.components() if standard is not None else None
    assert components is not None
    context = {
        "service": service,
        "components": components,
        "always_needed": [item for item in components.requirements if not item.condition],
        "needed_if": [item for item in components.requirements if item.condition],
        "draft": draft,
        "pages": _visible_pages(spec, draft.answer_data() if draft else {}),
    }
    return render(request, "applications/public/start.html", context)


@never_cache
@require_GET
@citizen_required
def resume(request: AuthenticatedHttpRequest, draft: UUID) -> HttpResponse:
    """Continue a draft where something is still missing (or at *check your answers*)."""
    found = get_draft_for_user(request.user, draft)
    try:
        spec = _open_spec(found.service)
    except ServiceNotOpen as error:
        return _not_open(request, found.service, error)
    answers = found.answer_data()
    documents = list(vault_documents_of(request.user))
    for page in _visible_pages(spec, answers):
        if _errors_for(spec, answers, documents, page):
            return redirect(_page_url(found, page))
    return redirect(_check_url(found))


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def form_page(request: AuthenticatedHttpRequest, draft: UUID, page: str) -> HttpResponse:
    found = get_draft_for_user(request.user, draft)
    service = found.service
    try:
        spec = _open_spec(service)
    except ServiceNotOpen as error:
        return _not_open(request, service, error)
    current = spec.page(page)
    if current is None:
        raise Http404(page)
    answers = found.answer_data()
    to_check = request.GET.get("return") == "check"
    errors: dict[str, list[str]] = {}
    refused: dict[str, list[str]] = {}
    revealed: list[str] = []
    if request.method == "POST":
        seen = {item.key for item in visible_fields(spec, answers, current)}
        _shown, refused = _read_posted(request, current.fields, answers)
        found = save_draft(
            service=service, applicant=request.user, answers=answers, documents=_documents_map(spec, answers)
        )
        action = request.POST.get("action", "continue")
        revealed = [item.key for item in visible_fields(spec, answers, current) if item.key not in seen]
        if not refused and action == "save":
            messages.success(
                request,
                _("Your answers are saved. Continue your application from this page whenever you are ready."),
            )
            return redirect("applications:my-applications")
        if not refused and action.startswith("pick:"):
            return redirect(f"{request.get_full_path()}#field-{action.removeprefix('pick:')}")
        if not refused and action == "continue":
            documents = list(vault_documents_of(request.user))
            errors = _errors_for(spec, answers, documents, current)
            if revealed:
                errors = {key: found_errors for key, found_errors in errors.items() if key not in revealed}
            elif not errors:
                following = None if to_check else _neighbour(spec, answers, current, 1)
                return redirect(_page_url(found, following) if following else _check_url(found))
    elif request.GET.get("errors"):
        errors = _errors_for(spec, answers, list(vault_documents_of(request.user)), current)
    documents = list(vault_documents_of(request.user))
    form = ApplicationForm(
        visible_fields(spec, answers, current), answers, documents=_by_type(documents), revealed=revealed
    )
    form.show_errors(errors, refused)
    previous = _neighbour(spec, answers, current, -1)
    if to_check:
        back = _check_url(found)
    elif previous is not None:
        back = _page_url(found, previous)
    else:
        back = reverse("applications:start", kwargs={"slug": service.slug})
    pages = _visible_pages(spec, answers)
    context = {
        "service": service,
        "draft": found,
        "page": current,
        "form": form,
        "back_url": back,
        "revealed": revealed,
        "page_number": next((n for n, item in enumerate(pages, 1) if item.key == current.key), 1),
        "page_count": len(pages),
    }
    return render(request, "applications/public/form_page.html", context)


# Check your answers and submit -------------------------------------------------------------------


def _answer_sections(
    spec: FormSpec,
    answers: Mapping[str, Any],
    documents: Mapping[str, VaultDocument],
    draft: ApplicationDraft | None = None,
) -> list[dict[str, Any]]:
    sections = []
    for page in _visible_pages(spec, answers):
        rows = []
        for item in visible_fields(spec, answers, page):
            row: dict[str, Any] = {
                "label": display(item.label),
                "value": answer_text(item, answers.get(item.key), documents),
            }
            if draft is not None:
                row["href"] = f"{_page_url(draft, page, to_check=True)}#{_field_anchor(item)}"
            rows.append(row)
        sections.append({"title": display(page.title), "rows": rows})
    return sections


def _earlier_submission(user: User, key: str) -> Application | None:
    key = key.strip()[:80]
    if not key:
        return None
    return Application.objects.filter(submitted_by=user, idempotency_key=key).first()


def _confirmation_url(application: Application) -> str:
    return reverse("applications:confirmation", kwargs={"reference": application.reference})


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def check(request: AuthenticatedHttpRequest, draft: UUID) -> HttpResponse:
    try:
        found = get_draft_for_user(request.user, draft)
    except Http404:
        # Sent already (a double click, or the browser sending the form again): same confirmation.
        earlier = _earlier_submission(request.user, request.POST.get("submission_key", ""))
        if request.method == "POST" and earlier is not None:
            return redirect(_confirmation_url(earlier))
        raise
    service = found.service
    try:
        spec = _open_spec(service)
    except ServiceNotOpen as error:
        return _not_open(request, service, error)
    answers = found.answer_data()
    problem = ""
    if request.method == "POST":
        key = str(found.submission_key)
        try:
            submission = submit_application(
                service=service,
                applicant=request.user,
                answers=answers,
                actor=request.user,
                idempotency_key=key,
            )
        except ServiceNotOpen as error:
            return _not_open(request, service, error)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                return redirect(_first_error_url(found, spec, answers, set(error.error_dict)))
            problem = " ".join(str(message) for message in error.messages)
        else:
            if submission.secret:
                secrets = dict(request.session.get(SECRETS_SESSION_KEY, {}))
                secrets[submission.application.reference] = submission.secret
                request.session[SECRETS_SESSION_KEY] = secrets
            return redirect(_confirmation_url(submission.application))
    documents = {str(document.public_id): document for document in vault_documents_of(request.user)}
    context = {
        "service": service,
        "draft": found,
        "sections": _answer_sections(spec, answers, documents, found),
        "problem": problem,
        "back_url": _page_url(found, _visible_pages(spec, answers)[-1]),
    }
    return render(request, "applications/public/check.html", context)


def _first_error_url(
    draft: ApplicationDraft, spec: FormSpec, answers: Mapping[str, Any], keys: set[str]
) -> str:
    for page in spec.pages:
        for item in page.fields:
            if item.key in keys:
                url = reverse("applications:form-page", kwargs={"draft": draft.public_id, "page": page.key})
                return f"{url}?{urlencode({'return': 'check', 'errors': '1'})}#{_field_anchor(item)}"
    return _check_url(draft)


# After submitting --------------------------------------------------------------------------------


def _own_application(user: User, reference: str) -> Application:
    application = get_application_for_user(user, reference)
    if application.applicant_id != user.pk:
        raise Http404
    return application


@never_cache
@require_GET
@citizen_required
def confirmation(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request.user, reference)
    secret = None
    stored = request.session.get(SECRETS_SESSION_KEY)
    if isinstance(stored, dict) and reference in stored:
        secrets = dict(stored)
        secret = secrets.pop(reference)
        request.session[SECRETS_SESSION_KEY] = secrets
    context = {
        "application": application,
        "service": application.service,
        "secret": secret,
        "components": application.standard.components(),
        "contact": _contact_text(request.user),
    }
    return render(request, "applications/public/confirmation.html", context)


def _contact_text(user: User) -> str:
    contact = contact_of(user)
    if contact is None:
        return ""
    channel, address = contact
    if channel == "email":
        return mask_email(address)
    return mask_phone(f"0{address[3:]}" if address.startswith("+62") else address)


@never_cache
@require_GET
@citizen_required
def my_applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = list(
        Application.objects.filter(applicant=request.user)
        .select_related("service", "workflow")
        .order_by("-submitted_at", "-id")
    )
    drafts = list(
        ApplicationDraft.objects.filter(applicant=request.user)
        .select_related("service")
        .order_by("-updated_at")
    )
    return render(
        request,
        "applications/public/my_applications.html",
        {"applications": applications, "drafts": drafts, "returned_state": RETURNED_STATE},
    )


@require_POST
@citizen_required
def discard(request: AuthenticatedHttpRequest, draft: UUID) -> HttpResponse:
    found = get_draft_for_user(request.user, draft)
    discard_draft(found, actor=request.user)
    messages.success(
        request,
        _("The unfinished application for %(service)s was deleted.") % {"service": found.service.name},
    )
    return redirect("applications:my-applications")


# The case page and corrections -------------------------------------------------------------------

WHAT_NEXT: dict[str, Any] = {
    "submitted": gettext_lazy(
        "The agency checks that your application is complete. You do not need to do anything now."
    ),
    "completeness_check": gettext_lazy(
        "The agency checks that your application is complete. You do not need to do anything now."
    ),
    RETURNED_STATE: gettext_lazy(
        "The agency needs you to correct your application. Read the officer's note and send the corrections."
    ),
    "processing": gettext_lazy(
        "Your application is complete and being processed. You do not need to do anything now."
    ),
    "approved": gettext_lazy("Your application was approved. The agency prepares what you receive."),
    "awaiting_payment": gettext_lazy("Pay the fee to receive your document. The payment details are below."),
    "output_issued": gettext_lazy("Your document is ready. You can download it below."),
    "rejected": gettext_lazy(
        "Your application was rejected. The reason is in the officer's note in the history."
    ),
    "completed": gettext_lazy("Your application is completed."),
}


def _what_next(application: Application) -> str:
    message = WHAT_NEXT.get(application.state)
    return str(message) if message else _("Follow the history below to see where your application is.")


def _event_rows(application: Application) -> list[dict[str, Any]]:
    definition = application.definition()
    rows = []
    events = ApplicationEvent.objects.filter(case=application, is_public=True).order_by("at", "id")
    for event in events:
        if event.kind == TimelineEvent.Kind.TRANSITION and definition.has_state(event.to_state):
            title: Any = definition.state(event.to_state).display_label
        else:
            title = (
                TimelineEvent.Kind(event.kind).label
                if event.kind in TimelineEvent.Kind.values
                else event.kind
            )
        if event.actor_role == "citizen":
            who = _("You")
        elif event.actor_role == "system" or not event.actor_role:
            who = _("The system")
        else:
            who = _("The agency")
        rows.append({"at": event.at, "title": title, "who": who, "note": event.note})
    return rows


def _correction_documents(user: User, application: Application) -> list[VaultDocument]:
    """The citizen's vault documents, and those already shared into the application (a document
    removed from the vault since stays available for the field it was shared for)."""
    documents = list(vault_documents_of(user))
    owned = {document.pk for document in documents}
    shares = ApplicationDocument.objects.filter(application=application).select_related("vault_document")
    return documents + [share.vault_document for share in shares if share.vault_document.pk not in owned]


def _correction_note(application: Application) -> str:
    event = (
        ApplicationEvent.objects.filter(case=application, is_public=True, to_state=RETURNED_STATE)
        .order_by("-at", "-id")
        .first()
    )
    return event.note if event is not None else ""


@never_cache
@require_GET
@citizen_required
def detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request.user, reference)
    shares = list(
        ApplicationDocument.objects.filter(application=application).select_related("vault_document")
    )
    spec = form_of(ensure_service_config(application.service))
    answers = application.answer_data()
    documents = {str(share.vault_document.public_id): share.vault_document for share in shares}
    context = {
        "application": application,
        "service": application.service,
        "what_next": _what_next(application),
        "returned": application.state == RETURNED_STATE,
        "correction_note": _correction_note(application) if application.state == RETURNED_STATE else "",
        "events": _event_rows(application),
        "shares": shares,
        "sections": _answer_sections(spec, answers, documents),
        "show_due_date": application.is_open and application.has_due_date,
    }
    return render(request, "applications/public/detail.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def correct(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request.user, reference)
    if application.state != RETURNED_STATE:
        messages.info(request, _("This application is not waiting for corrections."))
        return redirect(application.get_absolute_url())
    spec = form_of(ensure_service_config(application.service))
    answers = application.answer_data()
    errors: dict[str, list[str]] = {}
    refused: dict[str, list[str]] = {}
    revealed: list[str] = []
    if request.method == "POST":
        seen = {item.key for item in visible_fields(spec, answers)}
        _shown, refused = _read_posted(request, spec.fields(), answers)
        revealed = [item.key for item in visible_fields(spec, answers) if item.key not in seen]
    documents = _correction_documents(request.user, application)
    if request.method == "POST" and not refused and not revealed and request.POST.get("action") == "resubmit":
        errors = _errors_for(spec, answers, documents, None)
        if not errors:
            try:
                resubmit_application(application, answers=answers, actor=request.user)
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    messages.error(request, " ".join(str(message) for message in error.messages))
                    return redirect(application.get_absolute_url())
                errors = {key: [str(m) for m in found] for key, found in error.message_dict.items()}
            else:
                messages.success(request, _("Your corrections were sent. The agency checks them again."))
                return redirect(application.get_absolute_url())
    form = ApplicationForm(
        visible_fields(spec, answers), answers, documents=_by_type(documents), revealed=revealed
    )
    form.show_errors(errors, refused)
    context = {
        "application": application,
        "service": application.service,
        "form": form,
        "note": _correction_note(application),
        "revealed": revealed,
    }
    return render(request, "applications/public/correct.html", context)
