"""The routing assistant on the evaluation set (``data/routing_eval.json``) with the demo's agencies.

Floors a bit under the figures measured with ``layanan evaluate_routing`` (docs/complaints-routing.md),
so a regression of the model, the vocabulary or the agencies' duties fails here.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from layanan.accounts.models import Agency
from layanan.complaints.management.commands.evaluate_routing import evaluate, evaluation_items
from layanan.complaints.models import ComplaintCategory

# Measured 2026-11-23: cold 68.6 % / 85.8 %, warm 73.4 % / 90.5 % (agency top-1 / top-3);
# category top-1 cold 63.3 %, warm 70.4 %.
FLOORS = {
    ("cold", "agency_top1"): 0.63,
    ("cold", "agency_top3"): 0.80,
    ("warm", "agency_top1"): 0.68,
    ("warm", "agency_top3"): 0.86,
    ("cold", "category_top1"): 0.58,
    ("warm", "category_top1"): 0.65,
}


def test_the_evaluation_set_is_well_formed() -> None:
    items = evaluation_items()

    assert len(items) >= 300
    assert len({item["id"] for item in items}) == len(items)
    assert len({(item["title"], item["text"]) for item in items}) == len(items), "duplicate report"
    splits = Counter(item["split"] for item in items)
    assert splits["train"] == 200
    assert splits["test"] == len(items) - 200
    for item in items:
        assert set(item) == {"id", "title", "text", "region", "agency", "category", "split"}, item
        assert item["text"].strip(), item
    per_agency = Counter(item["agency"] for item in items if item["split"] == "test")
    assert len(per_agency) >= 20
    assert min(per_agency.values()) >= 1


@pytest.mark.django_db
def test_the_labels_are_demo_agencies_and_seeded_categories() -> None:
    call_command("load_demo", "--skip-holidays", stdout=io.StringIO())
    items = evaluation_items()

    agencies = set(Agency.objects.values_list("slug", flat=True))
    categories = set(ComplaintCategory.objects.values_list("slug", flat=True))
    assert {item["agency"] for item in items} <= agencies
    assert {item["category"] for item in items} <= categories
    # The protected channel goes to the inspectorate only.
    assert {item["agency"] for item in items if item["category"] == "pungli"} == {"inspektorat-banyumas"}


@pytest.mark.django_db
def test_accuracy_stays_above_the_floors() -> None:
    call_command("load_demo", "--skip-holidays", stdout=io.StringIO())

    result = evaluate()

    measured = {(model, name): getattr(getattr(result, model), name) for model, name in FLOORS}
    print(measured)  # noqa: T201  (shown with -s)
    assert result.warm.agency_top1 > result.cold.agency_top1
    assert result.learned_reports >= 190
    for key, floor in FLOORS.items():
        assert measured[key] >= floor, (key, measured[key])


@pytest.mark.django_db
def test_the_command_prints_the_table() -> None:
    call_command("load_demo", "--skip-holidays", stdout=io.StringIO())
    out = io.StringIO()

    call_command("evaluate_routing", stdout=out)

    assert "| cold |" in out.getvalue()
    assert "| warm |" in out.getvalue()
    assert "Calibration" in out.getvalue()
