"""Builders for survey tests: responses, invitations and published reports in a few lines.

Responses are made through the real action (``submit_response``) unless a test needs many rows
fast (``bulk_responses``). Reports are published by the real action too, for a period that has
ended (``past_period``), since an open period cannot be published.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory
from layanan.survey import actions
from layanan.survey.elements import ELEMENT_KEYS
from layanan.survey.models import Channel, SurveyInvitation, SurveyReport, SurveyResponse
from layanan.survey.periods import Period

# Oracle of domain-facts §1.6: four respondents, U1..U9.
ORACLE: tuple[tuple[int, ...], ...] = (
    (4, 4, 3, 4, 3, 3, 4, 3, 2),
    (3, 3, 3, 4, 3, 3, 3, 3, 3),
    (4, 3, 2, 4, 4, 4, 4, 3, 3),
    (2, 3, 3, 4, 3, 3, 3, 2, 2),
)
ORACLE_IKM_EXACT = "79.17"
ORACLE_IKM_PERMEN = "78.38"

# Personal data a respondent may write in a suggestion (none may ever be published).
NIK_IN_TEXT = "3273015508900009"
PHONE_IN_TEXT = "0812-3456-7890"
EMAIL_IN_TEXT = "siti.rahma@example.id"
PERSONAL_SUGGESTION = (
    f"Petugas lambat. Hubungi saya di {PHONE_IN_TEXT} atau {EMAIL_IN_TEXT}, NIK saya {NIK_IN_TEXT}."
)


def today() -> datetime.date:
    return timezone.localdate()


def past_period() -> Period:
    """Last year: ended, so its report can be published."""
    return Period(today().year - 1)


def day_in(period: Period, offset: int = 14) -> datetime.date:
    """A day inside ``period`` (``offset`` days after its start)."""
    day = period.start + datetime.timedelta(days=offset)
    assert period.contains(day)
    return day


def answers(*values: int | None) -> dict[str, int | None]:
    """Answers by element key, in questionnaire order; missing values are blanks."""
    padded = list(values) + [None] * (len(ELEMENT_KEYS) - len(values))
    return dict(zip(ELEMENT_KEYS, padded, strict=True))


def form_answers(*values: int | None) -> dict[str, str]:
    """The same as POST data of the questionnaire (blanks left out)."""
    return {key: str(value) for key, value in answers(*values).items() if value is not None}


_nonce_counter = iter(range(10**9))


def respond(
    unit: ServiceUnit,
    values: Sequence[int | None] = (3, 3, 3, 3, 3, 3, 3, 3, 3),
    *,
    day: datetime.date | None = None,
    service: Service | None = None,
    suggestion: str = "",
    profile: dict[str, str] | None = None,
) -> SurveyResponse:
    """One response through the unit's general link (the real action), dated ``day``."""
    return actions.submit_response(
        answers=answers(*values),
        profile=profile,
        suggestion=suggestion,
        unit=unit,
        service=service,
        form_nonce=f"test-nonce-{next(_nonce_counter)}",
        today=day or today(),
    )


def bulk_responses(
    unit: ServiceUnit,
    rows: Iterable[Sequence[int | None]],
    *,
    day: datetime.date,
    service: Service | None = None,
    **fields: Any,
) -> list[SurveyResponse]:
    """Many responses at once, straight into the table (no audit): for queries and counts."""
    return SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                unit=unit,
                agency_id=unit.agency_id,
                region_code=unit.region_id,
                service=service,
                channel=Channel.UNIT_LINK,
                submitted_on=day,
                **answers(*row),
                **fields,
            )
            for row in rows
        ]
    )


def invitation(
    unit: ServiceUnit,
    *,
    reference: str = "SKM-TEST-0001",
    service: Service | None = None,
    day: datetime.date | None = None,
    actor: User | None = None,
) -> tuple[SurveyInvitation, str]:
    """An application's invitation (the real action) and the token that opens it."""
    made = actions.invite_after_application(
        reference=reference,
        unit=unit,
        service=service or ServiceFactory(unit=unit),
        actor=actor,
        today=day,
    )
    return made, actions.application_token(reference)


def invitations(unit: ServiceUnit, count: int, *, day: datetime.date) -> list[SurveyInvitation]:
    """``count`` invitations issued on ``day`` (straight into the table): population only."""
    return SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(
                source=Channel.COUNTER,
                source_key=f"counter:bulk-{unit.pk}-{day.isoformat()}-{number}",
                token_digest=f"{unit.pk:08d}{number:08d}{day.toordinal():08d}".ljust(64, "0"),
                unit=unit,
                issued_on=day,
                expires_on=day + datetime.timedelta(days=30),
            )
            for number in range(count)
        ]
    )


def moderate_all(unit: ServiceUnit, period: Period, head: User) -> None:
    """Publish every pending suggestion of the period in the wording proposed to the head."""
    from layanan.survey import queries

    for response in queries.suggestions(unit, period, status=SurveyResponse.SuggestionStatus.PENDING):
        actions.moderate_suggestion(
            response, publish=True, wording=actions.suggested_wording(response), actor=head
        )


def published_report(
    unit: ServiceUnit,
    head: User,
    *,
    period: Period | None = None,
    rows: Sequence[Sequence[int | None]] = ORACLE,
    suggestion: str = "",
) -> SurveyReport:
    """A published report of ``unit`` for a past period with ``rows`` as its responses."""
    period = period or past_period()
    for number, row in enumerate(rows):
        respond(unit, row, day=day_in(period, number), suggestion=suggestion if number == 0 else "")
    moderate_all(unit, period, head)
    return actions.publish_report(unit, period, actor=head)
