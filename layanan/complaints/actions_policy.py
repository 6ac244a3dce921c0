"""Writes of the complaint deadlines per region (``ComplaintPolicy``): platform administrators only.

A saved policy applies to reports submitted (or disposed) after the change: each report keeps the
workflow version it started with, and ``actions.stored_workflow_for`` stores a new version for the
policy's scope when its deadlines differ from the latest one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layanan.audit.actions import record_event
from layanan.complaints.models import ComplaintPolicy
from layanan.regions.models import Region

DAYS_MIN = 1
DAYS_MAX = 365
CONFIDENCE_MIN = 0.5
CONFIDENCE_MAX = 1.0
RATING_MIN = 1
RATING_MAX = 4
DAY_FIELDS = (
    "verification_working_days",
    "first_answer_working_days",
    "reply_days",
    "light_working_days",
    "normative_working_days",
    "no_audit_working_days",
    "audit_working_days",
    "inspectorate_after_working_days",
)
POLICY_FIELDS = (*DAY_FIELDS, "auto_dispose_confidence", "reopen_rating_at_most")


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,4}", text) else None


def _check(values: Mapping[str, Any], region: Region | None) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    if region is not None and region.level > Region.Level.REGENCY:
        errors["region"] = [_("Deadlines are set for the whole country, a province or a regency or city.")]
    for field in DAY_FIELDS:
        number = _whole_number(values.get(field))
        if number is None or not DAYS_MIN <= number <= DAYS_MAX:
            errors[field] = [
                _("Enter a whole number of days from %(min)d to %(max)d.")
                % {"min": DAYS_MIN, "max": DAYS_MAX}
            ]
        else:
            clean[field] = number
    confidence = values.get("auto_dispose_confidence")
    if confidence is None or confidence == "":
        clean["auto_dispose_confidence"] = None
    else:
        try:
            number_f = float(confidence)
        except (TypeError, ValueError):
            number_f = -1.0
        if not CONFIDENCE_MIN <= number_f <= CONFIDENCE_MAX:
            errors["auto_dispose_confidence"] = [
                _("Enter a confidence from %(min)s to %(max)s, or leave it empty.")
                % {"min": CONFIDENCE_MIN, "max": CONFIDENCE_MAX}
            ]
        else:
            clean["auto_dispose_confidence"] = round(number_f, 3)
    rating = _whole_number(values.get("reopen_rating_at_most"))
    if rating is None or not RATING_MIN <= rating <= RATING_MAX:
        errors["reopen_rating_at_most"] = [
            _("Choose a rating from %(min)d to %(max)d.") % {"min": RATING_MIN, "max": RATING_MAX}
        ]
    else:
        clean["reopen_rating_at_most"] = rating
    return clean, errors


@transaction.atomic
def save_policy(*, region: Region | None, values: Mapping[str, Any], actor: Any) -> ComplaintPolicy:
    """Create or update the policy of ``region`` (None: the national default) with ``values``
    (every field of ``POLICY_FIELDS``). Raises ``PermissionDenied`` unless ``actor`` is a platform
    administrator, ``ValidationError`` (field → messages) for a value out of range."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied
    clean, errors = _check(values, region)
    if errors:
        raise ValidationError(errors, code="invalid")
    rows = ComplaintPolicy.objects.select_for_update()
    policy = (rows.filter(region=region) if region is not None else rows.filter(region__isnull=True)).first()
    created = policy is None
    if policy is None:
        policy = ComplaintPolicy(region=region)
    changes = {
        field: [None if created else getattr(policy, field), clean[field]]
        for field in POLICY_FIELDS
        if created or getattr(policy, field) != clean[field]
    }
    for field, value in clean.items():
        setattr(policy, field, value)
    policy.save()
    record_event(
        "complaints.policy_saved",
        actor=actor,
        target=policy,
        summary={
            "region": region.code if region is not None else "national",
            "created": created,
            "changes": changes,
        },
    )
    return policy
