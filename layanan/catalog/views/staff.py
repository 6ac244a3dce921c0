"""The agency back office of the catalog: service standards (draft, consultation, adoption) and the
units' service promises. Server-rendered; every page works without JavaScript.

Who may do what is decided in ``layanan.catalog.permissions`` and enforced again by the actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.permissions import staff_required
from layanan.catalog import actions
from layanan.catalog.diff import (
    ALL_COMPONENTS,
    PUBLISHED_COMPONENTS,
    completion_time_text,
    component_label,
    diff_standards,
    format_rupiah,
    standard_components,
)
from layanan.catalog.forms import MAKLUMAT_FORMULA, AdoptForm, PromiseForm, StandardForm
from layanan.catalog.models import Service, ServiceStandard
from layanan.catalog.permissions import (
    can_adopt_standard,
    can_edit_standard,
    can_manage_promise,
    can_view_promises,
    get_service_for_staff,
    get_standard_for_staff,
    get_unit_for_promise,
)
from layanan.catalog.queries_staff import (
    current_promise,
    current_promises,
    promise_units,
    service_versions,
    staff_services,
)
from layanan.catalog.standard import (
    COMPLAINT_CHANNEL_LABELS,
    DOCUMENT_FORM_LABELS,
    DOCUMENT_TYPE_LABELS,
    INTERNAL_COMPONENTS,
    STEP_ACTOR_LABELS,
)

STATUS_COLOURS: dict[str, str] = {
    ServiceStandard.Status.DRAFT: "yellow",
    ServiceStandard.Status.CONSULTATION: "blue",
    ServiceStandard.Status.ADOPTED: "green",
    ServiceStandard.Status.SUPERSEDED: "grey",
}
OPEN_STATUSES = (ServiceStandard.Status.DRAFT, ServiceStandard.Status.CONSULTATION)


def _standard_url(name: str, standard: ServiceStandard) -> str:
    return reverse(f"catalog:{name}", args=[standard.service.slug, standard.version])


def _service_url(service: Service) -> str:
    return reverse("catalog:staff-service-detail", args=[service.slug])


def _crumbs(service: Service | None = None) -> list[dict[str, str]]:
    crumbs = [
        {"label": _("Staff workspace"), "href": reverse("accounts:staff-dashboard")},
        {"label": _("Service standards"), "href": reverse("catalog:staff-service-list")},
    ]
    if service is not None:
        crumbs.append({"label": service.name, "href": _service_url(service)})
    return crumbs


def _label(labels: dict[str, Any], key: Any) -> str:
    return str(labels.get(str(key), key))


def _presented(standard: ServiceStandard) -> dict[str, Any]:
    """The 14 components of a version, ready to print (labels in the active language)."""
    published = standard.published or {}
    fee = published.get("fee")
    time = published.get("completion_time")
    return {
        "requirements": [
            {
                **item,
                "document_type_label": _label(DOCUMENT_TYPE_LABELS, item.get("document_type")),
                "form_label": _label(DOCUMENT_FORM_LABELS, item.get("form")),
            }
            for item in published.get("requirements", [])
        ],
        "procedure": [
            {**step, "actor_label": _label(STEP_ACTOR_LABELS, step.get("actor"))}
            for step in published.get("procedure", [])
        ],
        "completion_time": {
            "text": completion_time_text(int(time["value"]), str(time["unit"])),
            "starts_when_complete": time.get("starts_when_complete", True),
        }
        if time
        else None,
        "fee": {
            **fee,
            "items": [
                {**item, "amount_text": format_rupiah(int(item["amount"]))} for item in fee.get("items", [])
            ],
        }
        if fee
        else None,
        "products": list(published.get("products", [])),
        "complaint_channels": [
            {**channel, "kind_label": _label(COMPLAINT_CHANNEL_LABELS, channel.get("kind"))}
            for channel in published.get("complaint_channels", [])
        ],
        "internal": [
            {"label": component_label(key), "text": getattr(standard, key)} for key in INTERNAL_COMPONENTS
        ],
        "labels": {key: component_label(key) for key in ALL_COMPONENTS},
    }


def _status(standard: ServiceStandard | None) -> dict[str, str] | None:
    if standard is None:
        return None
    return {"text": standard.get_status_display(), "colour": STATUS_COLOURS[standard.status]}


# --- Services -----------------------------------------------------------------------------------


@never_cache
@require_GET
@staff_required
def service_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [
        {
            "service": row.service,
            "adopted": row.adopted,
            "open_version": row.open_version,
            "open_status": _status(row.open_version),
        }
        for row in staff_services(request.user)
    ]
    return render(request, "catalog/staff/service_list.html", {"rows": rows, "crumbs": _crumbs()[:1]})


@never_cache
@require_GET
@staff_required
def service_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_staff(request.user, slug)
    versions = list(service_versions(service))
    for version in versions:
        version.service = service
    current_open = next((v for v in versions if v.status in OPEN_STATUSES), None)
    context = {
        "service": service,
        "versions": [
            {"standard": v, "status": _status(v), "url": _standard_url("staff-standard-detail", v)}
            for v in versions
        ],
        "open_version": current_open,
        "can_start": can_edit_standard(request.user, service) and current_open is None,
        "can_adopt": can_adopt_standard(request.user, service),
        "crumbs": _crumbs(),
    }
    return render(request, "catalog/staff/service_detail.html", context)


@require_POST
@staff_required
def draft_start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_staff(request.user, slug)
    try:
        draft = actions.start_standard_draft(service, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_service_url(service))
    messages.success(request, _("Version %(version)d was started as a draft.") % {"version": draft.version})
    return redirect(_standard_url("staff-standard-edit", draft))


# --- One version ----------------------------------------------------------------------------------


@never_cache
@require_GET
@staff_required
def standard_detail(request: AuthenticatedHttpRequest, slug: str, version: int) -> HttpResponse:
    standard = get_standard_for_staff(request.user, slug, version)
    service = standard.service
    is_open = standard.status in OPEN_STATUSES
    may_edit = can_edit_standard(request.user, service)
    missing = actions.missing_components(standard) if is_open else []
    context = {
        "service": service,
        "standard": standard,
        "status": _status(standard),
        "components": _presented(standard),
        "missing": [component_label(key) for key in missing],
        "can_edit": may_edit and standard.status == ServiceStandard.Status.DRAFT,
        "can_consult": may_edit and standard.status == ServiceStandard.Status.DRAFT,
        "can_return": may_edit and standard.status == ServiceStandard.Status.CONSULTATION,
        "can_adopt": is_open and can_adopt_standard(request.user, service),
        "crumbs": _crumbs(service),
    }
    return render(request, "catalog/staff/standard_detail.html", context)


def _render_edit(
    request: AuthenticatedHttpRequest, standard: ServiceStandard, form: StandardForm
) -> HttpResponse:
    context = {
        "service": standard.service,
        "standard": standard,
        "form": form,
        "error_summary": form.error_summary() if form.is_bound else [],
        "labels": {key: component_label(key) for key in ALL_COMPONENTS},
        "crumbs": _crumbs(standard.service),
    }
    return render(request, "catalog/staff/standard_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def standard_edit(request: AuthenticatedHttpRequest, slug: str, version: int) -> HttpResponse:
    standard = get_standard_for_staff(request.user, slug, version)
    if not can_edit_standard(request.user, standard.service):
        raise PermissionDenied
    if standard.status != ServiceStandard.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed. Return the version to draft first."))
        return redirect(_standard_url("staff-standard-detail", standard))
    if request.method != "POST":
        return _render_edit(request, standard, StandardForm(standard=standard))
    add_row = request.POST.get("add_row", "")
    form = StandardForm(request.POST, standard=standard, add_row=add_row)
    if add_row:
        return _render_edit(request, standard, form)
    if form.is_valid():
        published = form.published()
        try:
            actions.update_standard_draft(
                standard,
                actor=request.user,
                published=published,
                internal=form.internal_components(),
                change_note=form.change_note(),
            )
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(_standard_url("staff-standard-detail", standard))
    return _render_edit(request, standard, form)


@never_cache
@require_GET
@staff_required
def standard_diff(request: AuthenticatedHttpRequest, slug: str, version: int) -> HttpResponse:
    standard = get_standard_for_staff(request.user, slug, version)
    service = standard.service
    base = service.adopted_standard if standard.status in OPEN_STATUSES else standard.based_on
    components = diff_standards(standard_components(base) if base else None, standard_components(standard))
    context = {
        "service": service,
        "standard": standard,
        "base": base,
        "published": [c for c in components if c.key in PUBLISHED_COMPONENTS],
        "internal": [c for c in components if c.key not in PUBLISHED_COMPONENTS],
        "changed_count": sum(1 for c in components if c.changed),
        "crumbs": _crumbs(service),
    }
    return render(request, "catalog/staff/standard_diff.html", context)


def _transition(request: AuthenticatedHttpRequest, slug: str, version: int, *, to: str) -> HttpResponse:
    standard = get_standard_for_staff(request.user, slug, version)
    try:
        if to == "consultation":
            actions.send_standard_to_consultation(standard, actor=request.user)
            done = _("Version %(version)d is now in public consultation.")
        else:
            actions.return_standard_to_draft(standard, actor=request.user)
            done = _("Version %(version)d is a draft again and can be changed.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"version": standard.version})
    return redirect(_standard_url("staff-standard-detail", standard))


@require_POST
@staff_required
def standard_consult(request: AuthenticatedHttpRequest, slug: str, version: int) -> HttpResponse:
    return _transition(request, slug, version, to="consultation")


@require_POST
@staff_required
def standard_return(request: AuthenticatedHttpRequest, slug: str, version: int) -> HttpResponse:
    return _transition(request, slug, version, to="draft")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def standard_adopt(request: AuthenticatedHttpRequest, slug: str, version: int) -> HttpResponse:
    standard = get_standard_for_staff(request.user, slug, version)
    if not can_adopt_standard(request.user, standard.service):
        raise PermissionDenied
    if standard.status not in OPEN_STATUSES:
        messages.error(request, _("Only a draft or a version in consultation can be adopted."))
        return redirect(_standard_url("staff-standard-detail", standard))
    form = AdoptForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            actions.adopt_standard(
                standard,
                actor=request.user,
                decree_number=form.cleaned_data["decree_number"],
                decree_date=form.cleaned_data["decree_date"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(version)d is adopted and now published.") % {"version": standard.version},
            )
            return redirect(_standard_url("staff-standard-detail", standard))
    context = {
        "service": standard.service,
        "standard": standard,
        "form": form,
        "missing": [component_label(key) for key in actions.missing_components(standard)],
        "crumbs": _crumbs(standard.service),
    }
    return render(request, "catalog/staff/standard_adopt.html", context)


# --- Service promise ------------------------------------------------------------------------------


@never_cache
@require_GET
@staff_required
def promise_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_promises(request.user):
        raise PermissionDenied
    units = list(promise_units(request.user, is_platform_admin=request.user.is_platform_admin))
    promises = current_promises(units)
    rows = [
        {
            "unit": unit,
            "promise": promises.get(unit.pk),
            "edit_url": reverse("catalog:staff-promise-edit", args=[unit.agency.slug, unit.slug])
            if can_manage_promise(request.user, unit)
            else "",
        }
        for unit in units
    ]
    return render(request, "catalog/staff/promise_list.html", {"rows": rows, "crumbs": _crumbs()[:1]})


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def promise_edit(request: AuthenticatedHttpRequest, agency: str, unit: str) -> HttpResponse:
    service_unit = get_unit_for_promise(request.user, agency, unit)
    current = current_promise(service_unit)
    if request.method == "POST":
        form = PromiseForm(request.POST)
        if form.is_valid():
            try:
                actions.set_service_promise(service_unit, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("The service promise of %(unit)s was saved.") % {"unit": service_unit.name}
                )
                return HttpResponseRedirect(reverse("catalog:staff-promise-list"))
    else:
        initial: dict[str, Any] = {"text": MAKLUMAT_FORMULA, "signed_on": timezone.localdate()}
        if current is not None:
            initial = {
                "text": current.text,
                "signatory_name": current.signatory_name,
                "signatory_title": current.signatory_title,
                "signed_on": current.signed_on,
            }
        form = PromiseForm(initial=initial)
    crumbs = [*_crumbs()[:1], {"label": _("Service promises"), "href": reverse("catalog:staff-promise-list")}]
    context = {"unit": service_unit, "current": current, "form": form, "crumbs": crumbs}
    return render(request, "catalog/staff/promise_form.html", context)
