"""``layanan evaluate_routing``: accuracy of the routing assistant on the repository's evaluation set.

The set (``layanan/complaints/data/routing_eval.json``) holds realistic reports labelled with the
agency and category a coordinator would confirm, split into ``train`` and ``test``. The agencies
and categories are read from the database (load the demo first: ``layanan load_demo``), exactly as
``routing_store`` reads them.

* **cold**: the model knows only the declared duties and the categories;
* **warm**: plus the ``train`` reports as confirmed dispositions (protected-category reports are
  left out, as ``routing_store`` leaves them out).

Both are measured on the ``test`` reports only (no report is in both): top-1 and top-3 accuracy of
the agency, top-1 and top-3 of the category (the categories of the top agency), and the
calibration table behind the auto-dispose threshold (docs/complaints-routing.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.complaints import routing
from layanan.complaints.models import ComplaintCategory
from layanan.complaints.routing_store import load_profiles

EVALUATION_SET = Path(__file__).resolve().parents[2] / "data" / "routing_eval.json"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def evaluation_items(path: Path = EVALUATION_SET) -> list[dict[str, str]]:
    items: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


@dataclass
class Accuracy:
    reports: int = 0
    agency_top1: float = 0.0
    agency_top3: float = 0.0
    category_top1: float = 0.0
    category_top3: float = 0.0
    # threshold -> (reports whose top confidence is at least it, share of those that are right)
    calibration: dict[str, tuple[int, float]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)


def measure(model: routing.RoutingModel, items: list[dict[str, str]]) -> Accuracy:
    agency1 = agency3 = category1 = category3 = 0
    tops: list[tuple[float, bool]] = []
    misses = []
    for item in items:
        suggestions = model.suggest(item["title"], item["text"], item["region"], limit=3)
        slugs = [suggestion.agency_slug for suggestion in suggestions]
        right = bool(slugs) and slugs[0] == item["agency"]
        agency1 += right
        agency3 += item["agency"] in slugs
        categories = suggestions[0].categories if suggestions else ()
        category1 += bool(categories) and categories[0] == item["category"]
        category3 += item["category"] in categories
        tops.append((suggestions[0].confidence if suggestions else 0.0, right))
        if not right:
            misses.append(
                {
                    "id": item["id"],
                    "expected": item["agency"],
                    "got": slugs,
                    "confidence": suggestions[0].confidence if suggestions else 0.0,
                    "title": item["title"],
                }
            )
    count = max(len(items), 1)
    calibration = {}
    for threshold in THRESHOLDS:
        chosen = [right for confidence, right in tops if confidence >= threshold]
        calibration[f"{threshold:.1f}"] = (
            len(chosen),
            round(sum(chosen) / len(chosen), 3) if chosen else 0.0,
        )
    return Accuracy(
        reports=len(items),
        agency_top1=round(agency1 / count, 3),
        agency_top3=round(agency3 / count, 3),
        category_top1=round(category1 / count, 3),
        category_top3=round(category3 / count, 3),
        calibration=calibration,
        misses=misses,
    )


@dataclass(frozen=True)
class Evaluation:
    cold: Accuracy
    warm: Accuracy
    learned_reports: int


def evaluate(items: list[dict[str, str]] | None = None) -> Evaluation:
    """Cold and warm accuracy on the test split, with the database's agencies and categories."""
    items = evaluation_items() if items is None else items
    agencies, categories, _agency_names, _category_names = load_profiles()
    known = {agency.slug for agency in agencies}
    missing = sorted({item["agency"] for item in items} - known)
    if missing:
        raise CommandError(
            f"The evaluation set names agencies that are not in the database ({', '.join(missing)}): "
            "load the demo first (layanan load_demo)."
        )
    protected = set(ComplaintCategory.objects.filter(is_protected=True).values_list("slug", flat=True))
    train = [item for item in items if item["split"] == "train"]
    test = [item for item in items if item["split"] == "test"]
    learned = routing.Learned()
    for item in train:
        if item["category"] not in protected:
            learned.add(item["title"], item["text"], item["agency"], item["category"])
    cold = measure(routing.RoutingModel(agencies, categories), test)
    warm = measure(routing.RoutingModel(agencies, categories, learned), test)
    return Evaluation(cold=cold, warm=warm, learned_reports=learned.reports)


class Command(BaseCommand):
    help = "Top-1 and top-3 accuracy of the routing assistant, cold and warm, on the evaluation set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--misses", action="store_true", help="List the test reports routed wrongly.")

    def handle(self, *args: Any, **options: Any) -> None:
        items = evaluation_items()
        result = evaluate(items)
        if options["json"]:
            self.stdout.write(json.dumps(asdict(result), indent=2, ensure_ascii=False))
            return
        train = sum(item["split"] == "train" for item in items)
        self.stdout.write(
            f"Evaluation set: {len(items)} reports, {len(items) - train} held out for testing; warm = "
            f"after {result.learned_reports} confirmed dispositions from the {train} train reports "
            "(protected-category reports are never learned)."
        )
        self.stdout.write("")
        self.stdout.write("| model | agency top-1 | agency top-3 | category top-1 | category top-3 |")
        self.stdout.write("|---|---|---|---|---|")
        for name, accuracy in (("cold", result.cold), ("warm", result.warm)):
            self.stdout.write(
                f"| {name} | {accuracy.agency_top1:.1%} | {accuracy.agency_top3:.1%} | "
                f"{accuracy.category_top1:.1%} | {accuracy.category_top3:.1%} |"
            )
        self.stdout.write("")
        self.stdout.write("Calibration (top suggestion): reports at or above the confidence, share right")
        self.stdout.write("| confidence >= | cold: reports | cold: right | warm: reports | warm: right |")
        self.stdout.write("|---|---|---|---|---|")
        for threshold in result.cold.calibration:
            cold_n, cold_right = result.cold.calibration[threshold]
            warm_n, warm_right = result.warm.calibration[threshold]
            self.stdout.write(f"| {threshold} | {cold_n} | {cold_right:.1%} | {warm_n} | {warm_right:.1%} |")
        if options["misses"]:
            for name, accuracy in (("cold", result.cold), ("warm", result.warm)):
                self.stdout.write("")
                self.stdout.write(f"Misses ({name}):")
                for miss in accuracy.misses:
                    self.stdout.write(
                        f"  {miss['id']} {miss['expected']} -> {', '.join(miss['got'])} "
                        f"({miss['confidence']:.2f}) {miss['title']}"
                    )
