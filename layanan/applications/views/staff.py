"""The back office of applications, under ``/petugas/``: the unit's work queue, one case (deadlines,
timeline, answers, documents, workflow steps, assignment), the unit head's workload view and the
workflow editor of a service.

Who may see a case is decided in ``layanan.applications.permissions``; what a person may do to it
is the workflow's business, enforced again by the actions. Every page works without JavaScript.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from layanan.accounts.http import AuthenticatedHttpRequest
from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.permissions import staff_required
from layanan.accounts.roles import Role
from layanan.applications import actions, actions_staff, permissions
from layanan.applications.formspec import PERSONAL_KINDS, FieldKind, FormField, FormSpec, choices_of, display
from layanan.applications.models import Application, ApplicationDocument, ApplicationEvent, ServiceConfig
from layanan.applications.queries_staff import (
    DUE_SOON,
    OVERDUE,
    Cursor,
    QueueFilters,
    queue_page,
    queue_units,
    shared_document,
    shared_documents,
    timeline_of,
    unit_officers,
    users_by_username,
    workflow_versions,
    workload,
)
from layanan.catalog.models import Service
from layanan.core.downloads import document_response
from layanan.core.masking import mask_nik, mask_phone, mask_text
from layanan.regions.queries import region_path
from layanan.vault.actions import read_vault_document
from layanan.workdays.calendar import WorkCalendar
from layanan.workdays.forms import unit_key
from layanan.workdays.queries import calendar_for_unit, standard_calendar
from layanan.workflow import engine
from layanan.workflow.defaults import APPLICATION_WORKFLOW, CITIZEN
from layanan.workflow.definition import Alarm, Transition, WorkflowDefinition
from layanan.workflow.models import TimelineEvent

UNIT_HEAD_ONLY = frozenset({Role.UNIT_HEAD})

ROLE_LABELS: dict[str, Any] = {
    CITIZEN: gettext_lazy("Applicant"),
    "system": gettext_lazy("System"),
    "staff": gettext_lazy("Staff"),
    **{str(role.value): role.label for role in Role},
}
# Who may be given a step in the workflow editor (others already in a definition are kept).
EDITABLE_ROLES = (
    str(Role.FRONT_OFFICE.value),
    str(Role.BACK_OFFICE.value),
    str(Role.UNIT_HEAD.value),
    CITIZEN,
)
DEADLINE_KIND_LABELS: dict[str, Any] = {
    "step": gettext_lazy("Deadline of this step"),
    "overall": gettext_lazy("Overall deadline (service standard)"),
    "alarm": gettext_lazy("Legal deadline"),
}


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [
        {"label": _("Staff workspace"), "href": reverse("accounts:staff-dashboard")},
        {"label": _("Applications"), "href": reverse("applications:staff-queue")},
    ]
    crumbs.extend({"label": label, "href": href} for label, href in extra)
    return crumbs


def _calendar(units: Sequence[ServiceUnit]) -> WorkCalendar:
    """One calendar per request: the unit's when there is one unit, else the government's."""
    return calendar_for_unit(units[0]) if len(units) == 1 else standard_calendar()


def role_label(role: str) -> Any:
    return ROLE_LABELS.get(role, role)


# --- The work queue -------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    deadline = forms.ChoiceField(
        label=gettext_lazy("Deadline"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            (OVERDUE, gettext_lazy("Overdue")),
            (DUE_SOON, gettext_lazy("Due soon (one working day or less)")),
        ],
    )
    unit = forms.ChoiceField(label=gettext_lazy("Service unit"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Only applications assigned to me"), required=False)

    def __init__(self, *args: Any, units: Sequence[ServiceUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit_key(unit): unit for unit in units}
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = [("", _("Any open state"))] + [
            (state.key, state.display_label) for state in APPLICATION_WORKFLOW.states
        ]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [("", _("All my units"))] + [
            (key, f"{unit.name} — {unit.agency.name}") for key, unit in self.units.items()
        ]
        if len(units) < 2:
            del self.fields["unit"]

    def filters(self, units: Sequence[ServiceUnit]) -> QueueFilters:
        """The valid filters (a value that is not one of the choices is dropped, with its error)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        chosen = self.units.get(str(data.get("unit") or ""))
        return QueueFilters(
            state=str(data.get("state") or ""),
            flag=str(data.get("deadline") or ""),
            mine=bool(data.get("mine")),
            unit_ids=(chosen.pk,) if chosen is not None else tuple(unit.pk for unit in units),
        )


@never_cache
@require_GET
@staff_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = queue_units(request.user)
    form = QueueFilterForm(request.GET, units=units)
    form.is_valid()
    filters = form.filters(units)
    shown_units = [unit for unit in units if unit.pk in filters.unit_ids]
    thresholds = engine.queue_thresholds(_calendar(shown_units))
    after = Cursor.decode(request.GET.get("after", ""))
    page = queue_page(request.user, filters, thresholds, after=after) if units else None
    context = {
        "form": form,
        "units": units,
        "several_units": len(units) > 1,
        "page": page,
        "after": after,
        "next_after": page.next_cursor.encode() if page and page.next_cursor else "",
        "filtered": any(request.GET.get(name) for name in ("state", "deadline", "unit", "mine")),
        "is_unit_head": bool(permissions.units_for(request.user, UNIT_HEAD_ONLY).exists()),
        "crumbs": _crumbs()[:1],
    }
    return render(request, "applications/staff/application_queue.html", context)


# --- One case: presentation -----------------------------------------------------------------------


def _form_spec(application: Application) -> FormSpec | None:
    config = ServiceConfig.objects.filter(service_id=application.service_id).first()
    return actions.form_of(config) if config is not None else None


def _masked(item: FormField, value: Any) -> str:
    if item.kind in (FieldKind.NIK, FieldKind.KK):
        return mask_nik(str(value))
    if item.kind == FieldKind.PHONE:
        text = str(value)
        national = f"0{text[3:]}" if text.startswith("+62") else text
        return mask_phone(national)
    if item.kind == FieldKind.ADDRESS:
        street = str(value.get("street", "")) if isinstance(value, dict) else str(value)
        return mask_text(street)
    return str(value)


def _full(item: FormField, value: Any) -> str:
    if item.kind == FieldKind.ADDRESS and isinstance(value, dict):
        street = str(value.get("street", ""))
        names = [region.name for region in reversed(region_path(str(value.get("region", ""))))]
        return ", ".join([street, *names]) if names else street
    if item.kind == FieldKind.PHONE:
        text = str(value)
        return f"0{text[3:]}" if text.startswith("+62") else text
    return str(value)


def _answer_rows(
    application: Application,
    spec: FormSpec | None,
    documents: Sequence[ApplicationDocument],
    revealed: str | None,
) -> list[dict[str, Any]]:
    """Each answered field with its label and display value; personal data masked unless it is
    the one field revealed for this response. Never a decrypted value in a URL."""
    answers = application.answer_data()
    by_field: dict[str, list[ApplicationDocument]] = {}
    for share in documents:
        by_field.setdefault(share.field_key, []).append(share)
    rows: list[dict[str, Any]] = []
    fields = spec.fields() if spec is not None else []
    known = {item.key for item in fields}
    for item in fields:
        if item.key not in answers and item.key not in by_field:
            continue
        value = answers.get(item.key)
        row: dict[str, Any] = {
            "key": item.key,
            "label": display(item.label),
            "personal": item.kind in PERSONAL_KINDS,
            "revealed": False,
            "documents": by_field.get(item.key, []),
            "value": "",
        }
        if item.kind == FieldKind.DOCUMENT:
            row["value"] = ""
        elif item.kind in PERSONAL_KINDS:
            row["revealed"] = revealed == item.key
            row["value"] = _full(item, value) if row["revealed"] else _masked(item, value)
        elif item.kind in (FieldKind.CHOICE, FieldKind.YES_NO):
            labels = {choice.value: display(choice.label) for choice in choices_of(item)}
            row["value"] = labels.get(str(value), str(value or ""))
        elif item.kind == FieldKind.DECLARATION:
            row["value"] = _("Declared") if value else ""
        else:
            row["value"] = "" if value is None else str(value)
        rows.append(row)
    # Answers to fields the form no longer has: shown by key, masked as free text.
    for key in sorted(set(answers) - known):
        rows.append(
            {
                "key": key,
                "label": key,
                "personal": False,
                "revealed": False,
                "documents": by_field.get(key, []),
                "value": mask_text(str(answers[key])),
            }
        )
    return rows


def _deadline_rows(application: Application, calendar: WorkCalendar) -> list[dict[str, Any]]:
    definition = application.definition()
    history = engine.history_of(application, ApplicationEvent)
    deadlines = engine.deadlines_of(application, history, calendar)
    alarms = {alarm.key: alarm for alarm in definition.alarms}
    rows: list[dict[str, Any]] = []
    for deadline in deadlines.all():
        if deadline.kind == "alarm" and deadline.name in alarms:
            label: Any = alarms[deadline.name].display_label
        elif deadline.kind == "step" and definition.has_state(deadline.name):
            label = _("%(kind)s: %(state)s") % {
                "kind": DEADLINE_KIND_LABELS["step"],
                "state": definition.state(deadline.name).display_label,
            }
        else:
            label = DEADLINE_KIND_LABELS[deadline.kind]
        if deadline.stopped:
            status, colour = (_("Met") if deadline.kind == "alarm" else _("Stopped")), "grey"
        elif deadline.overdue:
            status, colour = _("Overdue"), "red"
        elif deadline.due_soon:
            status, colour = _("Due soon"), "yellow"
        else:
            status, colour = _("On time"), "green"
        paused = definition.state(application.state).effective_clock == "paused"
        rows.append(
            {
                "label": label,
                "due": deadline.due,
                "left": deadline.working_days_left,
                "status": status,
                "colour": colour,
                "live": not deadline.stopped,
                "paused": paused and not deadline.stopped,
            }
        )
    started = {d.name for d in deadlines.alarms}
    for alarm in definition.alarms:
        if alarm.key not in started:
            rows.append(
                {
                    "label": alarm.display_label,
                    "due": None,
                    "left": None,
                    "status": _("Not started"),
                    "colour": "grey",
                    "live": False,
                    "paused": False,
                    "starts": definition.state(alarm.start_state).display_label,
                    "days": alarm.working_days,
                }
            )
    return rows


def _timeline_rows(application: Application) -> list[dict[str, Any]]:
    definition = application.definition()
    events = list(timeline_of(application))
    assignees = users_by_username(
        str(event.data.get("assignee") or "")
        for event in events
        if event.kind == TimelineEvent.Kind.ASSIGNMENT and isinstance(event.data, dict)
    )
    transitions = {t.key: t for t in definition.transitions}

    def state_label(key: str) -> Any:
        return definition.state(key).display_label if key and definition.has_state(key) else key

    rows = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        row: dict[str, Any] = {
            "event": event,
            "kind": event.get_kind_display(),
            "actor": event.actor.full_name or event.actor.username if event.actor else "",
            "role": role_label(event.actor_role) if event.actor_role else "",
            "internal": not event.is_public,
            "title": "",
            "detail": "",
        }
        if event.kind == TimelineEvent.Kind.TRANSITION:
            found = transitions.get(event.transition)
            row["title"] = (
                found.display_label
                if found
                else (_("Submitted") if event.transition == "submit" else event.transition)
            )
            row["detail"] = (
                _("%(from)s → %(to)s")
                % {"from": state_label(event.from_state), "to": state_label(event.to_state)}
                if event.from_state
                else ""
            )
        elif event.kind == TimelineEvent.Kind.ESCALATION:
            kind = str(data.get("kind", ""))
            row["title"] = _("Deadline passed, unit head alerted")
            due = str(data.get("due", ""))
            row["detail"] = _("%(deadline)s, due %(due)s") % {
                "deadline": DEADLINE_KIND_LABELS.get(kind, kind),
                "due": due,
            }
        elif event.kind == TimelineEvent.Kind.ASSIGNMENT:
            username = str(data.get("assignee") or "")
            person = assignees.get(username)
            if username:
                name = person.full_name or person.username if person else username
                row["title"] = _("Assigned to %(name)s") % {"name": name}
            else:
                row["title"] = _("Given back: nobody is assigned")
        elif data.get("claimed"):
            row["title"] = _("The applicant added the application to their account")
        rows.append(row)
    return rows


def _step_forms(
    user: User,
    application: Application,
    *,
    failed_step: str = "",
    error: str = "",
    note: str = "",
) -> list[dict[str, Any]]:
    steps: list[Transition] = actions.available_transitions(user, application)
    return [
        {
            "key": step.key,
            "label": step.display_label,
            "requires_note": step.requires_note,
            "target": application.definition().state(step.target).display_label,
            "error": error if step.key == failed_step else "",
            "note": note if step.key == failed_step else "",
            "warning": step.key in {"reject", "return_for_correction"},
        }
        for step in steps
    ]


def _assignment(user: User, application: Application) -> dict[str, Any]:
    unit = application.unit
    is_head = permissions.serves_unit(user, unit, UNIT_HEAD_ONLY)
    is_officer = permissions.is_unit_officer(user, unit)
    mine = application.assigned_to_id == user.pk
    return {
        "can_take": is_officer and not mine and permissions.can_assign(user, application, user),
        "can_give_back": mine and permissions.can_assign(user, application, None),
        "is_head": is_head,
        "officers": list(unit_officers(unit)) if is_head else [],
    }


def _render_case(
    request: AuthenticatedHttpRequest,
    application: Application,
    *,
    revealed: str | None = None,
    failed_step: str = "",
    step_error: str = "",
    note: str = "",
    lost_note: str = "",
    assign_error: str = "",
) -> HttpResponse:
    spec = _form_spec(application)
    documents = list(shared_documents(application))
    calendar = calendar_for_unit(application.unit)
    steps = _step_forms(request.user, application, failed_step=failed_step, error=step_error, note=note)
    definition = application.definition()
    context = {
        "application": application,
        "state_label": application.state_label(),
        "is_final": definition.state(application.state).is_final,
        "is_paused": definition.state(application.state).effective_clock == "paused",
        "deadlines": _deadline_rows(application, calendar),
        "timeline": _timeline_rows(application),
        "answers": _answer_rows(application, spec, documents, revealed),
        "documents": documents,
        "steps": steps,
        "has_error": bool(step_error or assign_error),
        "step_error": step_error if not any(s["error"] for s in steps) else "",
        "lost_note": lost_note,
        "assignment": _assignment(request.user, application),
        # For the payment and outputs part (applications/staff/_payment_and_outputs.html).
        "can_revoke_output": permissions.can_revoke_output(request.user, application),
        "assign_error": assign_error,
        "crumbs": _crumbs(),
    }
    return render(request, "applications/staff/application_detail.html", context)


def _case_url(application: Application) -> str:
    return reverse("applications:staff-case", kwargs={"reference": application.reference})


def _staff_case(request: AuthenticatedHttpRequest, reference: str) -> Application:
    """The case if the user serves its unit: 404 otherwise, also for the applicant (a staff user
    who applied for themselves reads their application on the citizen pages)."""
    application = permissions.get_application_for_user(request.user, reference)
    if not permissions.serves_unit(request.user, application.unit):
        raise Http404
    return application


# --- One case: views ------------------------------------------------------------------------------


@never_cache
@require_GET
@staff_required
def case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    return _render_case(request, _staff_case(request, reference))


@never_cache
@require_POST
@staff_required
def case_transition(request: AuthenticatedHttpRequest, reference: str, transition: str) -> HttpResponse:
    application = _staff_case(request, reference)
    note = request.POST.get("note", "")[:4000]
    try:
        actions.transition_application(application, transition, actor=request.user, note=note)
    except ValidationError as error:
        fresh = _staff_case(request, reference)
        message = " ".join(str(m) for m in error.messages)
        still_possible = any(
            step.key == transition for step in actions.available_transitions(request.user, fresh)
        )
        return _render_case(
            request,
            fresh,
            failed_step=transition if still_possible else "",
            step_error=message,
            note=note if still_possible else "",
            lost_note=note.strip() if not still_possible else "",
        )
    definition = application.definition()
    label = next((t.display_label for t in definition.transitions if t.key == transition), transition)
    messages.success(request, _("Done: %(step)s.") % {"step": label})
    return HttpResponseRedirect(_case_url(application))


@never_cache
@require_POST
@staff_required
def case_assign(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    application = _staff_case(request, reference)
    choice = request.POST.get("assign", "")
    assignee: User | None
    if choice == "me":
        assignee = request.user
    elif choice == "nobody":
        assignee = None
    elif choice == "chosen":
        username = request.POST.get("assignee", "")
        assignee = users_by_username([username]).get(username) if username else None
        if username and assignee is None:
            return _render_case(
                request, application, assign_error=_("Choose an officer of this unit from the list.")
            )
    else:
        return _render_case(request, application, assign_error=_("Choose who gets this application."))
    try:
        actions.assign_application(application, assignee=assignee, actor=request.user)
    except ValidationError as error:
        return _render_case(request, application, assign_error=" ".join(str(m) for m in error.messages))
    if assignee is None:
        messages.success(request, _("Nobody is assigned to this application now."))
    else:
        name = assignee.full_name or assignee.username
        messages.success(request, _("The application is assigned to %(name)s.") % {"name": name})
    return HttpResponseRedirect(_case_url(application))


@never_cache
@require_POST
@staff_required
def case_reveal(request: AuthenticatedHttpRequest, reference: str, field: str) -> HttpResponse:
    """Show one personal-data answer in full, for this response only (audited)."""
    application = _staff_case(request, reference)
    spec = _form_spec(application)
    item = spec.field(field) if spec is not None else None
    if (
        spec is None
        or item is None
        or item.kind not in PERSONAL_KINDS
        or field not in application.answer_data()
    ):
        raise Http404
    actions_staff.record_personal_data_view(application, field_key=field, spec=spec, actor=request.user)
    return _render_case(request, application, revealed=field)


def _download_name(share: ApplicationDocument) -> str:
    """``<reference>-<field>.<ext>``: from our own data only, never from the uploader."""
    extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(share.vault_document.kind, "bin")
    return f"{share.application.reference}-{share.field_key}.{extension}"


@never_cache
@require_GET
@staff_required
def case_document(request: AuthenticatedHttpRequest, reference: str, document: Any) -> HttpResponse:
    """A vault document shared into the application, decrypted, for staff of its unit (audited).

    Images inline (shown in the case page), PDFs as downloads: ``layanan.core.downloads``."""
    application = _staff_case(request, reference)
    share = shared_document(application, document)
    if share is None:
        raise Http404
    share.application = application
    actions_staff.record_document_view(share, actor=request.user)
    return document_response(
        read_vault_document(share.vault_document),
        content_type=share.vault_document.content_type,
        display_name=_download_name(share),
    )


# --- Workload (unit heads) ------------------------------------------------------------------------


@never_cache
@require_GET
@staff_required
def workload_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = list(
        permissions.units_for(request.user, UNIT_HEAD_ONLY)
        .select_related("agency")
        .order_by("agency__name", "name", "pk")
    )
    if not units:
        raise PermissionDenied
    thresholds = engine.queue_thresholds(_calendar(units))
    context = {
        "workload": workload(units, thresholds),
        "crumbs": _crumbs(),
    }
    return render(request, "applications/staff/application_workload.html", context)


# --- Workflow editor ------------------------------------------------------------------------------


def _alarm_templates(definition: WorkflowDefinition) -> list[Alarm]:
    """The alarms the editor offers: the definition's own, and the default ones it switched off."""
    found = list(definition.alarms)
    keys = {alarm.key for alarm in found}
    found.extend(alarm for alarm in APPLICATION_WORKFLOW.alarms if alarm.key not in keys)
    return found


class WorkflowForm(forms.Form):
    """Deadlines and step roles of one workflow definition (states and steps stay as they are)."""

    overall = forms.IntegerField(
        label=gettext_lazy("Overall deadline in working days"),
        help_text=gettext_lazy(
            "From the day the application is received to the decision and output, as promised in the "
            "service standard. Days the application waits for the applicant do not count. Leave empty "
            "for no overall deadline."
        ),
        required=False,
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"class": "width-short", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, definition: WorkflowDefinition, **kwargs: Any) -> None:
        kwargs["initial"] = {"overall": definition.overall_deadline_working_days}
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.state_keys: list[str] = []
        for state in definition.states:
            if state.is_final:
                continue
            name = f"state_{state.key}"
            self.state_keys.append(name)
            self.fields[name] = forms.IntegerField(
                label=str(state.display_label),
                required=False,
                min_value=1,
                max_value=365,
                help_text=_("Working days to finish this step. Leave empty for no deadline."),
                widget=forms.NumberInput(attrs={"class": "width-short", "inputmode": "numeric"}),
            )
            self.initial[name] = state.deadline_working_days
        self.alarms = _alarm_templates(definition)
        current_alarms = {alarm.key: alarm for alarm in definition.alarms}
        self.alarm_keys: list[str] = []
        for alarm in self.alarms:
            name = f"alarm_{alarm.key}"
            self.alarm_keys.append(name)
            self.fields[name] = forms.IntegerField(
                label=str(alarm.display_label),
                required=False,
                min_value=1,
                max_value=365,
                help_text=_(
                    "Working days from “%(start)s” to the decision. Leave empty to switch this alarm off."
                )
                % {"start": definition.state(alarm.start_state).display_label},
                widget=forms.NumberInput(attrs={"class": "width-short", "inputmode": "numeric"}),
            )
            self.initial[name] = (
                current_alarms[alarm.key].working_days if alarm.key in current_alarms else None
            )
        self.role_keys: list[str] = []
        for step in definition.transitions:
            name = f"roles_{step.key}"
            self.role_keys.append(name)
            roles = [*EDITABLE_ROLES, *sorted(step.roles - set(EDITABLE_ROLES))]
            sources = ", ".join(str(definition.state(s).display_label) for s in sorted(step.source))
            self.fields[name] = forms.MultipleChoiceField(
                label=str(step.display_label),
                required=False,
                choices=[(role, role_label(role)) for role in roles],
                widget=forms.CheckboxSelectMultiple,
                help_text=_("From “%(source)s” to “%(target)s”. Who may take this step:")
                % {"source": sources, "target": definition.state(step.target).display_label},
            )
            self.initial[name] = sorted(step.roles)

    def state_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.state_keys]

    def alarm_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.alarm_keys]

    def role_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.role_keys]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.role_keys:
            if name in cleaned and not cleaned[name]:
                self.add_error(name, _("Choose at least one role: otherwise nobody can take this step."))
        return cleaned

    def build(self) -> WorkflowDefinition:
        """A new definition from the current one and the form (``ValueError`` if it is invalid)."""
        data = self.cleaned_data
        states = tuple(
            state
            if state.is_final
            else dataclasses.replace(state, deadline_working_days=data.get(f"state_{state.key}"))
            for state in self.definition.states
        )
        transitions = tuple(
            dataclasses.replace(step, roles=frozenset(data.get(f"roles_{step.key}") or step.roles))
            for step in self.definition.transitions
        )
        alarms = tuple(
            dataclasses.replace(alarm, working_days=int(data[f"alarm_{alarm.key}"]))
            for alarm in self.alarms
            if data.get(f"alarm_{alarm.key}")
        )
        return dataclasses.replace(
            self.definition,
            states=states,
            transitions=transitions,
            alarms=alarms,
            overall_deadline_working_days=data.get("overall"),
        )


def _service_for_workflow(user: User, slug: str) -> Service:
    service = Service.objects.select_related("unit__agency", "adopted_standard").filter(slug=slug).first()
    if service is None:
        raise Http404(slug)
    if not permissions.can_configure_service(user, service):
        raise PermissionDenied
    return service


def _current_definition(service: Service) -> tuple[WorkflowDefinition | None, int | None]:
    """The service's workflow now (seeded from the standard if it takes no applications yet)."""
    config = ServiceConfig.objects.select_related("workflow").filter(service=service).first()
    if config is not None:
        return config.workflow.parsed(), config.workflow_id
    standard = service.adopted_standard
    components = standard.components() if standard is not None else None
    if components is None:
        return None, None
    return actions.seeded_workflow(components), None


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def workflow_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = _service_for_workflow(request.user, slug)
    definition, current_id = _current_definition(service)
    form: WorkflowForm | None = None
    problems: list[str] = []
    if definition is not None:
        if request.method == "POST":
            form = WorkflowForm(request.POST, definition=definition)
            if form.is_valid():
                try:
                    config = actions.update_service_workflow(service, form.build(), actor=request.user)
                except ValueError as error:
                    problems = [p.strip() for p in str(error).split(":", 1)[-1].split(";") if p.strip()]
                    form.add_error(
                        None,
                        _("This workflow cannot be used: %(problems)s.") % {"problems": "; ".join(problems)},
                    )
                else:
                    if config.workflow_id == current_id:
                        messages.info(request, _("Nothing changed: the workflow is as it was."))
                    else:
                        messages.success(
                            request,
                            _("Version %(version)d of the workflow is in force for new applications.")
                            % {"version": config.workflow.version},
                        )
                    return redirect("applications:staff-workflow", slug=service.slug)
        else:
            form = WorkflowForm(definition=definition)
    context = {
        "service": service,
        "form": form,
        "versions": list(workflow_versions(actions.workflow_scope(service))),
        "current_id": current_id,
        "crumbs": _crumbs(),
    }
    return render(request, "applications/staff/workflow_form.html", context)
