"""The assisted channel: a front-office officer at an MPP counter applies for a walk-in citizen,
and the citizen later claims the application online.

The counter journey is four pages: find the citizen by NIK (``counter-start``), confirm them and
record their consent, or register them when they have no account (``counter-citizen``), fill in
the whole form on one page (``counter-form``) and print the receipt (``counter-receipt``).

Everything typed is kept in the officer's session between the POSTs, so a validation error loses
nothing. The session table is a database table: the NIK and the answers are kept there only
encrypted (as ``layanan.accounts.views.citizen_auth`` keeps the pending sign-in address). The NIK
travels in POST bodies only, never in a URL. The final submit carries an idempotency key held in
the session: a double click or a retried POST makes one application.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.actions.profile import register_walk_in_citizen
from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import CitizenProfile, User
from layanan.accounts.nik import validate_nik
from layanan.accounts.permissions import citizen_required, staff_required
from layanan.accounts.queries import regencies
from layanan.accounts.roles import Role
from layanan.applications.actions import (
    ServiceNotOpen,
    claim_application,
    ensure_service_config,
    form_of,
    submit_application,
)
from layanan.applications.formspec import (
    FieldKind,
    FormField,
    FormSpec,
    choices_of,
    display,
    validate_answers,
)
from layanan.applications.models import Application
from layanan.applications.permissions import can_register_for_citizen, serves_unit, units_for
from layanan.applications.webforms import (
    ApplicationForm,
    extra_errors,
    part_name,
    prefill,
    read_answers,
    store_uploads,
)
from layanan.catalog.diff import format_rupiah
from layanan.catalog.models import Service
from layanan.core.crypto import DecryptionError, blind_index, decrypt, encrypt
from layanan.core.masking import mask_nik
from layanan.core.ratelimit import attempts, count_attempt
from layanan.core.references import check_secret, parse_reference, secret_digest
from layanan.regions.models import Region
from layanan.vault.models import VaultDocument
from layanan.vault.queries import vault_documents_of

FRONT_OFFICE = frozenset({Role.FRONT_OFFICE})
SESSION_KEY = "applications.counter"
# The reference of the officer's last counter application: a POST that arrives after the
# submission finished (a double click) goes to its receipt.
DONE_SESSION_KEY = "applications.counter.done"
NIK_CONTEXT = "session.applications.counter.nik"
ANSWERS_CONTEXT = "session.applications.counter.answers"
TRACKING_CODE_CONTEXT = "cache.applications.counter.secret"
SECRET_CACHE_SECONDS = 30 * 60

CLAIM_ATTEMPTS_PER_HOUR = 10
CLAIM_WINDOW_SECONDS = 3600
# A code checked against it when the reference is unknown, so both paths do the same work.
_NO_APPLICATION = "LAYANAN-NO-SUCH-APPLICATION"


# --- Access -----------------------------------------------------------------------------------------


def _require_front_office(user: User) -> None:
    if not units_for(user, FRONT_OFFICE).exists():
        raise PermissionDenied


def counter_services(user: User) -> QuerySet[Service]:
    """Services the officer registers applications for at the counter: their units' active
    services with an adopted standard, offered at the counter."""
    return (
        Service.objects.filter(
            unit__in=units_for(user, FRONT_OFFICE),
            is_active=True,
            adopted_standard__isnull=False,
            channel__in=[Service.Channel.COUNTER, Service.Channel.BOTH],
        )
        .select_related("unit")
        .order_by("unit__name", "name")
    )


def _crumbs() -> list[dict[str, str]]:
    return [
        {"label": _("Staff workspace"), "href": reverse("accounts:staff-dashboard")},
        {"label": _("Counter"), "href": reverse("applications:counter-start")},
    ]


# --- The work in progress, in the session ------------------------------------------------------------


@dataclass
class CounterWork:
    """What the officer has done so far for one walk-in application."""

    service: str
    nik: str
    citizen: int | None = None
    consent: bool = False
    answers: dict[str, Any] | None = None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def store(self, request: HttpRequest) -> None:
        request.session[SESSION_KEY] = {
            "service": self.service,
            "nik": encrypt(self.nik, context=NIK_CONTEXT),
            "citizen": self.citizen,
            "consent": self.consent,
            "answers": (
                encrypt(json.dumps(self.answers, ensure_ascii=False), context=ANSWERS_CONTEXT)
                if self.answers is not None
                else ""
            ),
            "key": self.key,
        }

    @classmethod
    def load(cls, request: HttpRequest) -> CounterWork | None:
        stored = request.session.get(SESSION_KEY)
        if not isinstance(stored, dict):
            return None
        try:
            nik = decrypt(stored["nik"], context=NIK_CONTEXT)
            answers = (
                json.loads(decrypt(stored["answers"], context=ANSWERS_CONTEXT)) if stored["answers"] else None
            )
        except (KeyError, ValueError, DecryptionError):
            request.session.pop(SESSION_KEY, None)
            return None
        return cls(
            service=str(stored["service"]),
            nik=nik,
            citizen=stored.get("citizen"),
            consent=bool(stored.get("consent")),
            answers=answers if isinstance(answers, dict) else None,
            key=str(stored["key"]),
        )


def _service_of(request: AuthenticatedHttpRequest, work: CounterWork) -> Service:
    service = Service.objects.select_related("unit__agency").filter(slug=work.service).first()
    if service is None:
        raise PermissionDenied
    if not can_register_for_citizen(request.user, service):
        raise PermissionDenied
    return service


def _posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to (also when empty), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _start_again(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.info(request, message)
    return redirect("applications:counter-start")


# --- Step 1: service and NIK --------------------------------------------------------------------------


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit.name})"


class CounterStartForm(forms.Form):
    service = ServiceChoiceField(
        label=gettext_lazy("Service"),
        queryset=Service.objects.none(),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the service the citizen applies for."),
            "invalid_choice": gettext_lazy("Choose one of the services of your unit."),
        },
    )
    nik = forms.CharField(
        label=gettext_lazy("The citizen's NIK"),
        help_text=gettext_lazy("16 digits, from the citizen's KTP or family card."),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter the citizen's NIK.")},
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        assert isinstance(service_field, ServiceChoiceField)
        service_field.queryset = services

    def clean_nik(self) -> str:
        return validate_nik(self.cleaned_data["nik"]).nik


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def counter_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_front_office(request.user)
    services = counter_services(request.user)
    if request.method == "POST":
        _refuse_other_services(request.user, str(request.POST.get("service", "")))
    only = list(services[:2])
    initial = {"service": only[0].slug} if len(only) == 1 else {}
    form = CounterStartForm(_posted(request), services=services, initial=initial)
    if request.method == "POST" and form.is_valid():
        service: Service = form.cleaned_data["service"]
        if not can_register_for_citizen(request.user, service):
            raise PermissionDenied
        nik: str = form.cleaned_data["nik"]
        profile = (
            CitizenProfile.objects.select_related("user")
            .filter(nik_index=blind_index(nik, purpose="nik"))
            .first()
        )
        if profile is not None and not (profile.user.is_active and profile.user.is_citizen):
            form.add_error(
                "nik",
                _("The account with this NIK is closed. Ask a platform administrator for help."),
            )
        else:
            CounterWork(service=service.slug, nik=nik, citizen=profile.user_id if profile else None).store(
                request
            )
            return redirect("applications:counter-citizen")
    context = {
        "form": form,
        "services": services,
        "unfinished": CounterWork.load(request),
        "crumbs": _crumbs()[:1],
    }
    return render(request, "applications/staff/counter_start.html", context)


def _refuse_other_services(user: User, posted: str) -> None:
    """A service the officer does not serve is not a typing error: it is refused outright."""
    service = Service.objects.select_related("unit").filter(slug=posted).first() if posted else None
    if service is not None and not can_register_for_citizen(user, service):
        raise PermissionDenied


@require_POST
@staff_required
def counter_cancel(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_front_office(request.user)
    return _start_again(request, _("The unfinished application was discarded. Nothing was sent."))


# --- Step 2: the citizen: found (consent) or registered now ----------------------------------------------

CONSENT_LABEL = gettext_lazy(
    "The citizen agrees that I apply on their behalf and that their data is processed for this application"
)
CONSENT_REQUIRED = gettext_lazy(
    "Ask the citizen and tick the box: without their consent you cannot apply for them."
)


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label=CONSENT_LABEL, error_messages={"required": CONSENT_REQUIRED})


class WalkInCitizenForm(ConsentForm):
    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        help_text=gettext_lazy("As written on the citizen's KTP."),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter the full name.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile number (optional)"),
        help_text=gettext_lazy(
            "The citizen signs in with this number to follow the application online, and receives "
            "updates by SMS. For example 0812 3456 7890."
        ),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=gettext_lazy("Address (optional)"),
        help_text=gettext_lazy("Street, house number, RT/RW, village and district."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Regency or city (optional)"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not chosen"),
    )
    field_order = ["full_name", "phone", "address", "region", "consent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regencies()
        if not region_field.queryset.exists():
            del self.fields["region"]


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def counter_citizen(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_front_office(request.user)
    work = CounterWork.load(request)
    if work is None:
        return _start_again(request, _("Start with the service and the citizen's NIK."))
    service = _service_of(request, work)
    citizen = User.objects.filter(pk=work.citizen, kind=User.Kind.CITIZEN).first() if work.citizen else None
    if citizen is not None:
        return _confirm_citizen(request, work, service, citizen)
    return _register_citizen(request, work, service)


def _citizen_rows(citizen: User, profile: CitizenProfile | None) -> list[dict[str, Any]]:
    return [
        {"label": _("Full name"), "value": citizen.full_name},
        {"label": _("NIK"), "value": profile.masked_nik if profile else ""},
        {"label": _("Mobile number"), "value": citizen.masked_phone},
        {"label": _("E-mail address"), "value": citizen.masked_email},
    ]


def _confirm_citizen(
    request: AuthenticatedHttpRequest, work: CounterWork, service: Service, citizen: User
) -> HttpResponse:
    # Never ticked in advance: the citizen is asked each time.
    form = ConsentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        work.consent = True
        work.store(request)
        return redirect("applications:counter-form")
    profile = CitizenProfile.objects.filter(user=citizen).first()
    context = {
        "form": form,
        "service": service,
        "found": True,
        "rows": _citizen_rows(citizen, profile),
        "start_url": reverse("applications:counter-start"),
    }
    return render(request, "applications/staff/counter_citizen.html", context)


def _register_citizen(request: AuthenticatedHttpRequest, work: CounterWork, service: Service) -> HttpResponse:
    form = WalkInCitizenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            citizen = register_walk_in_citizen(
                full_name=form.cleaned_data["full_name"],
                nik=work.nik,
                phone=form.cleaned_data["phone"],
                address=form.cleaned_data["address"],
                region=form.cleaned_data.get("region"),
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            work.citizen = citizen.pk
            work.consent = True
            work.store(request)
            messages.success(request, _("The citizen's account is open. Now fill in the application."))
            return redirect("applications:counter-form")
    context = {
        "form": form,
        "service": service,
        "found": False,
        "rows": [{"label": _("NIK"), "value": mask_nik(work.nik)}],
        "start_url": reverse("applications:counter-start"),
    }
    return render(request, "applications/staff/counter_citizen.html", context)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- Step 3: the application form, on one page ---------------------------------------------------------
#
# The fields are the online form's (``layanan.applications.webforms``), all pages on one page grouped
# under the pages' titles. Questions shown only for some answers are always shown here, with a hint
# saying when they apply: ``validate_answers`` drops the ones that do not.


def _only_when(spec: FormSpec, item: FormField) -> str:
    if item.show_if is None:
        return ""
    question = spec.field(item.show_if.field)
    if question is None:
        return ""
    answer = next(
        (display(choice.label) for choice in choices_of(question) if choice.value == item.show_if.equals),
        item.show_if.equals,
    )
    return _("Only when the answer to “%(question)s” is “%(answer)s”.") % {
        "question": display(question.label),
        "answer": answer,
    }


def _relabel(form: ApplicationForm, name: str, label: str, help_text: str) -> None:
    """Change a field's label and hint (the form already made its bound fields while reading
    its data, so both the field and its bound field are changed)."""
    form.fields[name].label = label
    form.fields[name].help_text = help_text
    bound = form[name]
    bound.label = label
    bound.help_text = help_text


def counter_form_for(
    spec: FormSpec,
    answers: Mapping[str, Any],
    *,
    documents: Mapping[str, list[VaultDocument]],
    errors: Mapping[str, list[str]],
    upload_errors: Mapping[str, list[str]],
) -> tuple[ApplicationForm, list[dict[str, Any]]]:
    """The whole form as one ``ApplicationForm`` and its entries grouped by the spec's pages."""
    form = ApplicationForm(spec.fields(), answers, documents=documents)
    for item in spec.fields():
        hint = _only_when(spec, item)
        if item.key in form.fields:
            label, help_text = form.fields[item.key].label, form.fields[item.key].help_text
            if not item.required and item.kind != FieldKind.DECLARATION:
                label = _("%(label)s (optional)") % {"label": label}
            _relabel(form, item.key, str(label), f"{hint} {help_text}".strip())
        upload = part_name(item.key, "upload")
        if upload in form.fields:
            vault = _("A PDF, JPG or PNG file. It is kept in the citizen's document vault.")
            _relabel(form, upload, str(form.fields[upload].label), vault)
    form.show_errors(errors, upload_errors)
    entries = {entry.key: entry for entry in form.entries}
    pages = [
        {
            "key": page.key,
            "title": display(page.title),
            "entries": [entries[item.key] for item in page.fields],
        }
        for page in spec.pages
    ]
    return form, pages


def _secret_cache_key(officer: User, reference: str) -> str:
    return f"applications.counter.secret:{officer.pk}:{reference}"


def _receipt(request: HttpRequest, application: Application, secret: str | None) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session[DONE_SESSION_KEY] = application.reference
    if secret:
        assert isinstance(request.user, User)
        cache.set(
            _secret_cache_key(request.user, application.reference),
            encrypt(secret, context=TRACKING_CODE_CONTEXT),
            SECRET_CACHE_SECONDS,
        )
    return redirect("applications:counter-receipt", reference=application.reference)


def _earlier_submission(request: AuthenticatedHttpRequest, key: str) -> Application | None:
    return Application.objects.filter(submitted_by=request.user, idempotency_key=key).first()


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def counter_form(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_front_office(request.user)
    work = CounterWork.load(request)
    if work is None:
        done = request.session.get(DONE_SESSION_KEY)
        if request.method == "POST" and done:
            return redirect("applications:counter-receipt", reference=done)
        return _start_again(request, _("Start with the service and the citizen's NIK."))
    service = _service_of(request, work)
    citizen = User.objects.filter(pk=work.citizen, kind=User.Kind.CITIZEN).first() if work.citizen else None
    if citizen is None or not work.consent:
        return redirect("applications:counter-citizen")
    try:
        spec = form_of(ensure_service_config(service))
    except ServiceNotOpen as error:
        return _start_again(request, " ".join(error.messages))
    answers = work.answers if work.answers is not None else prefill(spec.fields(), citizen)
    errors: dict[str, list[str]] = {}
    upload_errors: dict[str, list[str]] = {}
    problems: list[str] = []
    if request.method == "POST":
        earlier = _earlier_submission(request, work.key)
        if earlier is not None:
            return _receipt(request, earlier, None)
        answers = read_answers(spec.fields(), request.POST)
        upload_errors = store_uploads(
            request.FILES, spec.fields(), owner=citizen, actor=request.user, answers=answers
        )
        work.answers = answers
        work.store(request)
        action = str(request.POST.get("action", ""))
        if action == "submit":
            outcome = _submit(request, work, service, spec, citizen, answers, upload_errors)
            if isinstance(outcome, HttpResponse):
                return outcome
            errors, problems = outcome
        elif not upload_errors:
            return redirect(_form_url_at(action))
    form, pages = counter_form_for(
        spec, answers, documents=_documents_by_type(citizen), errors=errors, upload_errors=upload_errors
    )
    for problem in problems:
        form.add_error(None, problem)
    profile = CitizenProfile.objects.filter(user=citizen).first()
    context = {
        "form": form,
        "pages": pages,
        "service": service,
        "citizen": citizen,
        "masked_nik": profile.masked_nik if profile else "",
    }
    return render(request, "applications/staff/counter_form.html", context)


def _form_url_at(action: str) -> str:
    """Back to the form after "save" or "choose" (a region level), at the address that changed."""
    url = reverse("applications:counter-form")
    key = action.removeprefix("pick:")
    if action.startswith("pick:") and key.replace("_", "").isalnum():
        return f"{url}#field-{key}"
    return url


def _documents_by_type(citizen: User) -> dict[str, list[VaultDocument]]:
    found: dict[str, list[VaultDocument]] = {}
    for document in vault_documents_of(citizen):
        found.setdefault(document.document_type, []).append(document)
    return found


def _submit(
    request: AuthenticatedHttpRequest,
    work: CounterWork,
    service: Service,
    spec: FormSpec,
    citizen: User,
    answers: dict[str, Any],
    upload_errors: dict[str, list[str]],
) -> HttpResponse | tuple[dict[str, list[str]], list[str]]:
    """Send the application, or say what is wrong: (errors by field, other problems)."""
    known = {str(public_id) for public_id in vault_documents_of(citizen).values_list("public_id", flat=True)}
    _cleaned, errors = validate_answers(spec, answers, known_documents=known)
    for key, found in extra_errors(spec.fields(), answers).items():
        errors.setdefault(key, found)
    # A refused upload already says what is wrong with that document.
    errors = {key: found for key, found in errors.items() if key not in upload_errors}
    if errors or upload_errors:
        return errors, []
    try:
        submission = submit_application(
            service=service,
            applicant=citizen,
            answers=answers,
            actor=request.user,
            channel=Application.Channel.COUNTER,
            idempotency_key=work.key,
            consent=work.consent,
        )
    except IntegrityError:
        # A second click submitted at the same moment: the first one made the application.
        earlier = _earlier_submission(request, work.key)
        if earlier is None:
            raise
        return _receipt(request, earlier, None)
    except ValidationError as error:
        earlier = _earlier_submission(request, work.key)
        if earlier is not None and getattr(error, "code", None) == "idempotency_key_reused":
            return _receipt(request, earlier, None)
        if hasattr(error, "error_dict"):
            return {
                key: [str(m) for e in found for m in e.messages] for key, found in error.error_dict.items()
            }, []
        return {}, [str(message) for message in error.messages]
    return _receipt(request, submission.application, submission.secret)


# --- Step 4: the receipt ------------------------------------------------------------------------------


@never_cache
@require_GET
@staff_required
def counter_receipt(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related(
            "service", "unit__agency", "applicant", "submitted_by", "workflow"
        ),
        reference=reference,
        channel=Application.Channel.COUNTER,
    )
    if not serves_unit(request.user, application.unit, FRONT_OFFICE):
        raise PermissionDenied
    cache_key = _secret_cache_key(request.user, application.reference)
    stored = cache.get(cache_key)
    cache.delete(cache_key)
    secret = None
    if stored:
        try:
            secret = decrypt(stored, context=TRACKING_CODE_CONTEXT)
        except DecryptionError:
            secret = None
    applicant = application.applicant
    profile = CitizenProfile.objects.filter(user=applicant).first() if applicant else None
    state = application.definition().state(application.state)
    rows = [
        {"label": _("Service"), "value": application.service.name},
        {"label": _("Service unit"), "value": f"{application.unit.agency.name} — {application.unit.name}"},
        {"label": _("Applicant"), "value": applicant.full_name if applicant else ""},
        {"label": _("NIK"), "value": profile.masked_nik if profile else ""},
        {"label": _("Received on"), "value": application.submitted_at},
        {"label": _("Received by"), "value": str(application.submitted_by or "")},
        {"label": _("State"), "value": state.display_label},
        {
            "label": _("Fee"),
            "value": format_rupiah(application.fee_amount) if application.has_fee else _("Free of charge"),
        },
    ]
    if application.overall_due_date is not None:
        rows.append({"label": _("Finished by (at the latest)"), "value": application.overall_due_date})
    site = settings.LAYANAN_SITE_URL.rstrip("/")
    context = {
        "application": application,
        "secret": secret,
        "rows": rows,
        "masked_phone": applicant.masked_phone if applicant else "",
        "signin_url": f"{site}{reverse('accounts:signin')}",
        "signup_url": f"{site}{reverse('accounts:signup')}",
        "claim_url": f"{site}{reverse('applications:claim')}",
        "track_url": f"{site}{reverse('applications:track')}",
        "crumbs": _crumbs(),
    }
    return render(request, "applications/staff/counter_receipt.html", context)


# --- The citizen claims an application made for them at the counter -----------------------------------


class ClaimForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference number"),
        help_text=gettext_lazy("On the receipt from the counter, for example PBG-2026-000123-8."),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": gettext_lazy("Enter the reference number.")},
    )
    code = forms.CharField(
        label=gettext_lazy("Tracking code"),
        help_text=gettext_lazy("8 letters and digits, on the receipt from the counter."),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": gettext_lazy("Enter the tracking code.")},
    )
    nik = forms.CharField(
        label=gettext_lazy("NIK (only if your account has no NIK yet)"),
        help_text=gettext_lazy(
            "If you were registered at the counter without a mobile number, type the NIK on the receipt: "
            "what the counter registered for you moves to this account."
        ),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        parsed = parse_reference(self.cleaned_data["reference"])
        if parsed is None:
            raise forms.ValidationError(
                _("This is not a reference number. It looks like PBG-2026-000123-8: check each character."),
                code="reference_format",
            )
        return str(parsed)


WRONG_CLAIM = gettext_lazy("The reference number or the tracking code is not right.")


def _claim_attempts_key(user: User) -> str:
    return f"applications.claim.attempts:{user.pk}"


def _count_claim_attempt(user: User) -> int:
    return count_attempt(_claim_attempts_key(user), window_seconds=CLAIM_WINDOW_SECONDS)


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def claim(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ClaimForm(_posted(request))
    limited = attempts(_claim_attempts_key(request.user)) >= CLAIM_ATTEMPTS_PER_HOUR
    if request.method == "POST" and limited:
        form.is_valid()
        form.add_error(
            None,
            _(
                "You have tried %(count)d times in the last hour. "
                "Wait an hour and try again, or ask at the counter."
            )
            % {"count": CLAIM_ATTEMPTS_PER_HOUR},
        )
    elif request.method == "POST" and form.is_valid():
        _count_claim_attempt(request.user)
        application = Application.objects.filter(reference=form.cleaned_data["reference"]).first()
        if application is None:
            check_secret(form.cleaned_data["code"], secret_digest(_NO_APPLICATION))
            form.add_error(None, WRONG_CLAIM)
        else:
            try:
                claimed = claim_application(
                    application,
                    secret=form.cleaned_data["code"],
                    actor=request.user,
                    nik=form.cleaned_data.get("nik", ""),
                )
            except ValidationError as error:
                form.add_error(None, WRONG_CLAIM if error.code == "secret" else error)
            else:
                messages.success(request, _("The application is now in your account."))
                return redirect(reverse("applications:detail", kwargs={"reference": claimed.reference}))
    return render(request, "applications/public/claim_form.html", {"form": form})
