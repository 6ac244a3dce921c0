"""The ORM side of the workflow engine: stored (agency-edited) definitions and the abstract case
and timeline models that applications, complaints and consultations inherit.

A concrete case model subclasses ``WorkflowCase`` and adds its own fields and indexes; its timeline
model subclasses ``TimelineEvent`` and adds ``case = models.ForeignKey(<case>, related_name="events")``.
``layanan.workflow.engine`` then runs every transition, deadline and escalation for both.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.workflow.definition import WorkflowDefinition

# The queue sorts open cases by their next due date; a case without a live deadline (paused, or a
# workflow with no deadline for the state) sorts last under this date instead of NULL, so keyset
# pagination stays a plain (due_date, id) comparison on every database.
NO_DUE_DATE = datetime.date(9999, 12, 31)


class StoredWorkflow(models.Model):
    """One immutable version of a workflow definition for a scope (e.g. ``service:12``).

    Editing a workflow adds a version; a case keeps the version it started with, so its deadlines
    never change under it.
    """

    scope = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("workflow version")
        verbose_name_plural = _("workflow versions")
        constraints = [
            models.UniqueConstraint(fields=["scope", "version"], name="workflow_stored_scope_version"),
        ]
        ordering = ["scope", "-version"]

    def __str__(self) -> str:
        return f"{self.scope} v{self.version}"

    def parsed(self) -> WorkflowDefinition:
        """The definition (validated), cached per process: a stored version never changes. The
        cache checks the data too, since a rolled-back row's id can be given again (SQLite)."""
        cached = _PARSED.get(self.pk) if self.pk else None
        if cached is None or cached[0] != self.definition:
            cached = (self.definition, WorkflowDefinition.from_dict(self.definition))
            if self.pk:
                _PARSED[self.pk] = cached
        return cached[1]


_PARSED: dict[int, tuple[Any, WorkflowDefinition]] = {}


class CaseCounter(models.Model):
    """The last sequence number given out per reference prefix and year (locked when used), for
    every kind of case: applications, complaints, consultations."""

    prefix = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="workflow_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class WorkflowCase(models.Model):
    """Fields every case under a workflow has. Written only by ``layanan.workflow.engine``."""

    state = models.CharField(_("state"), max_length=40)
    state_entered_at = models.DateTimeField()
    is_open = models.BooleanField(default=True)
    # The earliest live deadline (step, overall or alarm), or NO_DUE_DATE.
    due_date = models.DateField(default=NO_DUE_DATE)
    step_due_date = models.DateField(null=True, blank=True)
    overall_due_date = models.DateField(null=True, blank=True)
    alarm_due_date = models.DateField(null=True, blank=True)
    # Keys of the deadlines already escalated (``layanan.workflow.deadlines``), so each fires once.
    escalated_keys = models.JSONField(default=list, blank=True)
    workflow = models.ForeignKey(StoredWorkflow, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def has_due_date(self) -> bool:
        return self.due_date != NO_DUE_DATE

    def definition(self) -> WorkflowDefinition:
        return self.workflow.parsed()

    def state_label(self) -> Any:
        definition = self.definition()
        if definition.has_state(self.state):
            return definition.state(self.state).display_label
        return self.state


class TimelineEvent(models.Model):
    """One entry of a case's timeline: a transition, an escalation, a reassignment or a note."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status change")
        ESCALATION = "escalation", _("Escalation")
        ASSIGNMENT = "assignment", _("Assignment")
        NOTE = "note", _("Note")
        DOCUMENT = "document", _("Document")
        PAYMENT = "payment", _("Payment")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The role the actor acted in (a Role code, "citizen", or "system").
    actor_role = models.CharField(max_length=30, blank=True)
    transition = models.CharField(max_length=40, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    # Free text written to the citizen or the file; shown only to the applicant and staff.
    note = models.TextField(blank=True)
    # Whether the applicant sees the entry (state changes do; internal notes and assignments don't).
    is_public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
