"""Demo satisfaction survey (SKM) of the registration counter of Disdukcapil Banyumas, made
through the survey actions (responses, moderation, plan, publication), never by writing rows.

Relative to today: the quarter before last is published (with its follow-up plan, one action
done), last quarter is a draft waiting for the unit head (suggestions to moderate, the period
ended, so it can be published), and the current quarter fills up live. The answers are drawn
from a fixed seed, so every load gives the same index.

Idempotent: each response is sent through the unit's general link with a ``demo-skm-…`` form id;
when the first one exists the whole survey is taken as loaded and nothing is written.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.survey.actions import (
    add_follow_up,
    moderate_suggestion,
    publish_report,
    save_report_settings,
    submit_response,
    update_follow_up,
)
from layanan.survey.elements import ELEMENT_KEYS
from layanan.survey.models import SurveyResponse, UsedFormNonce
from layanan.survey.periods import Period

NONCE_PREFIX = "demo-skm-"
UNIT = ("disdukcapil-banyumas", "pendaftaran-penduduk")
HEAD = "kepala.unit"

# Per element, the chances of the answers 1, 2, 3, 4: waiting time and facilities score lowest.
_CHANCES = dict.fromkeys(ELEMENT_KEYS, (2, 6, 52, 40))
_CHANCES.update({"waktu": (5, 20, 55, 20), "sarana": (4, 18, 58, 20), "biaya": (0, 1, 9, 90)})
_SUGGESTIONS = (
    "Antrean pagi terlalu panjang, mohon tambah loket pada hari Senin.",
    "Ruang tunggu panas, kipas angin banyak yang mati. Hubungi saya di 081234567890.",
    "Petugas ramah dan cepat. Terima kasih.",
    "Papan informasi persyaratan kurang jelas untuk lansia.",
)
_SIZES = {2: 96, 1: 128, 0: 35}  # quarters before the current one -> responses


def load_demo_survey(*, today: datetime.date | None = None) -> Counter[str]:
    today = today or timezone.localdate()
    created: Counter[str] = Counter()
    if UsedFormNonce.objects.filter(nonce__startswith=NONCE_PREFIX).exists():
        return created
    unit = ServiceUnit.objects.select_related("agency").filter(agency__slug=UNIT[0], slug=UNIT[1]).first()
    head = User.objects.filter(username=HEAD).first()
    if unit is None or head is None:
        return created
    services = list(unit.services.order_by("name")[:3])
    rng = random.Random(14_2017)
    current = Period.containing(today, "quarter")
    periods = {0: current, 1: current.previous(), 2: current.previous().previous()}
    for back, size in sorted(_SIZES.items(), reverse=True):
        period = periods[back]
        last_day = min(period.end, today)
        span = (last_day - period.start).days
        for number in range(size):
            day = period.start + datetime.timedelta(days=rng.randint(0, span))
            answers = {
                key: (None if rng.random() < 0.03 else rng.choices((1, 2, 3, 4), weights=_CHANCES[key])[0])
                for key in ELEMENT_KEYS
            }
            if all(value is None for value in answers.values()):
                answers["perilaku"] = 4
            suggestion = _SUGGESTIONS[number % len(_SUGGESTIONS)] if number % 9 == 0 else ""
            submit_response(
                answers=answers,
                profile={
                    "sex": rng.choice(["L", "P", "P", ""]),
                    "age_band": rng.choice(SurveyResponse.AgeBand.values),
                    "education": rng.choice(["sma", "sma", "d4-s1", "smp", "sd", ""]),
                    "occupation": rng.choice(["swasta", "wirausaha", "pns", "lainnya", "pelajar"]),
                },
                suggestion=suggestion,
                unit=unit,
                service=services[number % len(services)] if services else None,
                form_nonce=f"{NONCE_PREFIX}{period.key}-{number}",
                today=day,
            )
            created["survey response"] += 1
    _publish_oldest(unit, head, periods[2], today)
    created["survey report"] += 1
    return created


def _publish_oldest(unit: ServiceUnit, head: User, period: Period, today: datetime.date) -> None:
    for response in SurveyResponse.objects.filter(
        unit=unit,
        submitted_on__gte=period.start,
        submitted_on__lte=period.end,
        suggestion_status=SurveyResponse.SuggestionStatus.PENDING,
    ):
        publish = "Terima kasih" not in response.suggestion
        moderate_suggestion(response, publish=publish, wording=response.suggestion, actor=head)
    save_report_settings(
        unit,
        period,
        weighting="permen",
        offline_population=420,
        method_note="Kuesioner daring setelah layanan dan tablet di loket pendaftaran.",
        actor=head,
    )
    add_follow_up(
        unit,
        period,
        element="waktu",
        action="Menambah satu loket pada hari Senin dan Selasa pagi.",
        owner="Kepala Seksi Pelayanan",
        due_on=period.end + datetime.timedelta(days=60),
        actor=head,
    )
    facilities = add_follow_up(
        unit,
        period,
        element="sarana",
        action="Memperbaiki kipas angin dan menambah kursi di ruang tunggu.",
        owner="Kepala Subbagian Umum",
        due_on=period.end + datetime.timedelta(days=30),
        actor=head,
    )
    publish_report(unit, period, actor=head, today=today)
    update_follow_up(
        facilities, status="done", progress_note="Kipas angin diganti dan 20 kursi ditambah.", actor=head
    )
