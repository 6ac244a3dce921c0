"""What changed between two versions of a service standard, component by component.

Pure functions over plain data (no database): ``standard_components`` turns a version into a dict
of its 14 components, ``diff_standards`` compares two such dicts. Items of list components
(requirements, steps, fee amounts, products, complaint channels) are matched by their identity
(document type and name, step description, ...) so an edited item shows as *changed* rather than
as one removed and one added; procedure steps that keep their content but change place show as
*moved*. Every change carries readable before/after text, so a page can show it in words, never
by colour alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from layanan.catalog.models import ServiceStandard
from layanan.catalog.standard import (
    COMPLAINT_CHANNEL_LABELS,
    DOCUMENT_FORM_LABELS,
    DOCUMENT_TYPE_LABELS,
    INTERNAL_COMPONENTS,
    STEP_ACTOR_LABELS,
)

PUBLISHED_COMPONENTS: tuple[str, ...] = (
    "requirements",
    "procedure",
    "completion_time",
    "fee",
    "products",
    "complaint_channels",
)

PUBLISHED_COMPONENT_LABELS: dict[str, Promise] = {
    "requirements": gettext_lazy("Requirements"),
    "procedure": gettext_lazy("System, mechanism and procedure"),
    "completion_time": gettext_lazy("Completion time"),
    "fee": gettext_lazy("Cost or fee"),
    "products": gettext_lazy("Service products"),
    "complaint_channels": gettext_lazy("Handling of complaints, suggestions and feedback"),
}

ALL_COMPONENTS: tuple[str, ...] = PUBLISHED_COMPONENTS + INTERNAL_COMPONENTS

ChangeKind = Literal["added", "removed", "changed", "moved"]
ComponentStatus = Literal["unchanged", "added", "removed", "changed"]


def component_label(key: str) -> str:
    """The name of a component (one of ``ALL_COMPONENTS``) in the active language."""
    if key in PUBLISHED_COMPONENT_LABELS:
        return str(PUBLISHED_COMPONENT_LABELS[key])
    field = ServiceStandard._meta.get_field(key)
    assert isinstance(field, models.Field)
    return str(field.verbose_name).capitalize()


# --- Words for values --------------------------------------------------------------------------


def format_rupiah(amount: int) -> str:
    """``50000`` -> ``Rp50.000`` (the Indonesian way, in both languages)."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def completion_time_text(value: int, unit: str) -> str:
    if unit == "minutes":
        return ngettext("%(count)d minute", "%(count)d minutes", value) % {"count": value}
    if unit == "hours":
        return ngettext("%(count)d hour", "%(count)d hours", value) % {"count": value}
    return ngettext("%(count)d working day", "%(count)d working days", value) % {"count": value}


def _label(labels: Mapping[str, Any], key: Any) -> str:
    return str(labels.get(str(key), key))


def describe_requirement(item: Mapping[str, Any]) -> str:
    details = [_label(DOCUMENT_TYPE_LABELS, item.get("document_type", ""))]
    if item.get("form"):
        details.append(_label(DOCUMENT_FORM_LABELS, item["form"]))
    if item.get("issued_by"):
        details.append(_("issued by %(issuer)s") % {"issuer": item["issued_by"]})
    text = f"{item.get('name', '')} ({'; '.join(details)})"
    if item.get("condition"):
        text += " — " + _("only if: %(condition)s") % {"condition": item["condition"]}
    if item.get("note"):
        text += f" — {item['note']}"
    return text


def describe_step(item: Mapping[str, Any]) -> str:
    return f"{_label(STEP_ACTOR_LABELS, item.get('actor', ''))}: {item.get('description', '')}"


def describe_completion_time(item: Mapping[str, Any] | None) -> str:
    if not item:
        return ""
    text = completion_time_text(int(item.get("value", 0)), str(item.get("unit", "")))
    if item.get("starts_when_complete", True):
        return _("%(time)s, counted from a complete application") % {"time": text}
    return _("%(time)s, counted from receipt of the application") % {"time": text}


def describe_fee_item(item: Mapping[str, Any]) -> str:
    amount = format_rupiah(int(item.get("amount", 0)))
    return f"{item.get('label', '')}: {amount} ({item.get('legal_basis', '')})"


def describe_product(item: Mapping[str, Any]) -> str:
    text = str(item.get("name", ""))
    if item.get("is_electronic"):
        text += " " + _("(electronic document)")
    if item.get("description"):
        text += f" — {item['description']}"
    return text


def describe_channel(item: Mapping[str, Any]) -> str:
    text = _label(COMPLAINT_CHANNEL_LABELS, item.get("kind", ""))
    return f"{text}: {item['detail']}" if item.get("detail") else text


def fee_kind_text(fee: Mapping[str, Any] | None) -> str:
    if not fee:
        return ""
    return _("Free of charge") if fee.get("is_free") else _("Paid")


# --- The diff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    """One change inside a component. ``subject`` names the part of a composite component
    (e.g. "Legal basis" of the fee); ``before``/``after`` are readable text ("" when absent)."""

    kind: ChangeKind
    before: str = ""
    after: str = ""
    subject: str = ""


@dataclass(frozen=True)
class ComponentDiff:
    key: str
    label: str
    is_published: bool
    status: ComponentStatus
    changes: tuple[ItemChange, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


def standard_components(standard: ServiceStandard | None) -> dict[str, Any]:
    """The 14 components of a version as plain data (missing published components are empty)."""
    if standard is None:
        return {}
    components: dict[str, Any] = dict(standard.published or {})
    for key in INTERNAL_COMPONENTS:
        components[key] = getattr(standard, key)
    return components


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _fold(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


Key = Callable[[Mapping[str, Any]], Any]


def _pair(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], keys: Sequence[Key]
) -> dict[int, int]:
    """new index -> old index, matching identical items first, then by each key in turn."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for key in (_canonical, *keys):
        for new_index, item in enumerate(new):
            if new_index in pairs:
                continue
            wanted = key(item)
            for old_index, candidate in enumerate(old):
                if old_index not in used and key(candidate) == wanted:
                    pairs[new_index] = old_index
                    used.add(old_index)
                    break
    return pairs


def _stay_in_place(old_positions: list[int]) -> set[int]:
    """Positions (into ``old_positions``) of a longest increasing run: the steps that did not move."""
    if not old_positions:
        return set()
    best = [1] * len(old_positions)
    previous = [-1] * len(old_positions)
    for i, value in enumerate(old_positions):
        for j in range(i):
            if old_positions[j] < value and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    end = max(range(len(best)), key=best.__getitem__)
    keep = set()
    while end != -1:
        keep.add(end)
        end = previous[end]
    return keep


def _diff_items(
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    describe: Callable[[Mapping[str, Any]], str],
    keys: Sequence[Key],
    *,
    ordered: bool = False,
) -> list[ItemChange]:
    pairs = _pair(old, new, keys)
    matched = sorted(pairs)  # new indices, in new order
    in_place = _stay_in_place([pairs[i] for i in matched]) if ordered else set(range(len(matched)))
    still = {matched[position] for position in in_place}
    changes: list[ItemChange] = []
    for new_index, item in enumerate(new):
        if new_index not in pairs:
            changes.append(ItemChange("added", after=describe(item)))
            continue
        before = old[pairs[new_index]]
        if _canonical(before) != _canonical(item):
            changes.append(ItemChange("changed", before=describe(before), after=describe(item)))
        elif new_index not in still:
            changes.append(
                ItemChange(
                    "moved",
                    before=_("Step %(number)d") % {"number": pairs[new_index] + 1},
                    after=_("Step %(number)d: %(step)s") % {"number": new_index + 1, "step": describe(item)},
                )
            )
    used = set(pairs.values())
    changes.extend(
        ItemChange("removed", before=describe(item)) for i, item in enumerate(old) if i not in used
    )
    return changes


def _by(*names: str) -> Key:
    return lambda item: tuple(_fold(item.get(name)) for name in names)


LIST_COMPONENTS: dict[str, tuple[Callable[[Mapping[str, Any]], str], tuple[Key, ...], bool]] = {
    "requirements": (
        describe_requirement,
        (_by("document_type", "name"), _by("name"), _by("document_type")),
        False,
    ),
    "procedure": (describe_step, (_by("description"),), True),
    "products": (describe_product, (_by("name"),), False),
    "complaint_channels": (describe_channel, (_by("kind", "detail"), _by("kind")), False),
}


def _diff_fee(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[ItemChange]:
    old, new = old or {}, new or {}
    changes: list[ItemChange] = []
    if fee_kind_text(old) != fee_kind_text(new):
        changes.append(
            ItemChange(
                _kind(fee_kind_text(old), fee_kind_text(new)),
                fee_kind_text(old),
                fee_kind_text(new),
                _("Fee"),
            )
        )
    for name, subject in (("legal_basis", _("Legal basis")), ("note", _("Note"))):
        before, after = str(old.get(name) or ""), str(new.get(name) or "")
        if before != after:
            changes.append(ItemChange(_kind(before, after), before, after, subject))
    changes.extend(
        _diff_items(old.get("items") or (), new.get("items") or (), describe_fee_item, (_by("label"),))
    )
    return changes


def _kind(before: str, after: str) -> ChangeKind:
    if not before:
        return "added"
    if not after:
        return "removed"
    return "changed"


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], (), {})


def diff_component(key: str, old: Any, new: Any) -> ComponentDiff:
    """Compare one component; ``old``/``new`` are its stored values (None or empty: absent)."""
    if isinstance(old, str):
        old = old.strip()
    if isinstance(new, str):
        new = new.strip()
    if key in LIST_COMPONENTS:
        describe, keys, ordered = LIST_COMPONENTS[key]
        changes = _diff_items(old or (), new or (), describe, keys, ordered=ordered)
    elif key == "fee":
        changes = _diff_fee(old, new)
    elif key == "completion_time":
        before, after = describe_completion_time(old), describe_completion_time(new)
        changes = [ItemChange(_kind(before, after), before, after)] if before != after else []
    else:
        before, after = str(old or ""), str(new or "")
        changes = [ItemChange(_kind(before, after), before, after)] if before != after else []
    status: ComponentStatus
    if not changes:
        status = "unchanged"
    elif _is_empty(old):
        status = "added"
    elif _is_empty(new):
        status = "removed"
    else:
        status = "changed"
    return ComponentDiff(key, component_label(key), key in PUBLISHED_COMPONENTS, status, tuple(changes))


def diff_standards(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[ComponentDiff]:
    """All 14 components of ``new`` compared with ``old`` (None: there is nothing to compare with,
    so every filled component is *added*), in the order of UU 25/2009 Pasal 21."""
    old = old or {}
    return [diff_component(key, old.get(key), new.get(key)) for key in ALL_COMPONENTS]
