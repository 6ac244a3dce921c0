"""Helpers shared by the catalog's own tests."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from layanan.audit.models import AuditEvent
from layanan.catalog.forms import StandardForm
from layanan.catalog.models import Service, ServicePromise, ServiceStandard
from layanan.catalog.tests.factories import COMPLETE_INTERNAL, complete_published

DECREE = "Keputusan Kepala Dinas Kependudukan dan Pencatatan Sipil Nomor 000.8/123/2026"
DECREE_DATE = datetime.date(2026, 2, 2)

# Personas (fixtures of the root conftest.py).
STAFF_OF_UNIT_A = ["front_officer", "officer", "unit_head"]
OUTSIDERS = ["citizen", "other_agency_officer", "admin_user", "coordinator", "inspector"]


def catalog_state() -> tuple[Any, ...]:
    """Every catalog row and the size of the audit log: equal before and after a denied attempt."""
    return (
        list(Service.objects.order_by("pk").values()),
        list(ServiceStandard.objects.order_by("pk").values()),
        list(ServicePromise.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def complete_internal() -> dict[str, str]:
    return dict(COMPLETE_INTERNAL)


def standard_form_data(standard: ServiceStandard) -> dict[str, Any]:
    """What a browser posts when the edit page of ``standard`` is sent back unchanged."""
    form = StandardForm(standard=standard)
    data: dict[str, Any] = {}

    def add(bound_form: forms.Form) -> None:
        for field in bound_form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            else:
                data[field.html_name] = "" if value is None else value

    for part in form.forms:
        add(part)
    for formset in form.formsets.values():
        add(formset.management_form)
        for row in formset.forms:
            add(row)
    return data


__all__ = [
    "DECREE",
    "DECREE_DATE",
    "catalog_state",
    "complete_internal",
    "complete_published",
    "standard_form_data",
]
