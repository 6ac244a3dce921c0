"""The back office of the survey: who sees what, the unit head's settings, plan, moderation and
publication, the CSV export and the counter code."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.catalog.tests.factories import ServiceFactory
from layanan.core.testing import verified_client
from layanan.survey import actions, queries
from layanan.survey.models import Channel, FollowUpAction, SurveyInvitation, SurveyReport, SurveyResponse
from layanan.survey.periods import Period
from layanan.survey.tests.factories import (
    ORACLE,
    day_in,
    past_period,
    published_report,
    respond,
    today,
)

pytestmark = pytest.mark.django_db

OVERVIEW = "/petugas/skm/"


def en(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def unit_page(unit: ServiceUnit, period: Period, suffix: str = "") -> str:
    return f"/petugas/skm/{unit.agency.slug}/{unit.slug}/{period.key}/{suffix}"


def code_page(unit: ServiceUnit) -> str:
    return f"/petugas/skm/{unit.agency.slug}/{unit.slug}/kode/"


def csv_rows(response: Any) -> tuple[str, list[list[str]]]:
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")  # so that spreadsheets read it as UTF-8
    return raw, list(csv.reader(io.StringIO(raw[1:])))


@pytest.fixture
def head(unit_head: User) -> Client:
    return en(verified_client(unit_head))


@pytest.fixture
def officer_en(officer_client: Client) -> Client:
    return en(officer_client)


# --- Who may see what -------------------------------------------------------------------------------


def _pages(unit: ServiceUnit) -> list[tuple[str, str]]:
    period = past_period()
    return [
        ("get", OVERVIEW),
        ("get", unit_page(unit, period)),
        ("get", unit_page(unit, period, "jawaban.csv")),
        ("get", code_page(unit)),
        ("post", unit_page(unit, period, "pengaturan/")),
        ("post", unit_page(unit, period, "rencana/")),
        ("post", unit_page(unit, period, "terbitkan/")),
    ]


def test_anonymous_visitors_go_to_the_staff_sign_in(unit_a: ServiceUnit) -> None:
    signin = reverse("accounts:staff-signin")
    for method, url in _pages(unit_a):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(signin), url
    assert not SurveyReport.objects.exists()


def test_citizens_are_refused(citizen_client: Client, unit_a: ServiceUnit) -> None:
    for method, url in _pages(unit_a):
        assert getattr(citizen_client, method)(url).status_code == 403, url
    assert not SurveyReport.objects.exists()


def test_an_officer_sees_the_overview_and_their_own_unit_only(
    officer_en: Client, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    period = past_period()
    respond(unit_a, day=day_in(period))

    overview = officer_en.get(OVERVIEW, {"periode": period.key})
    assert overview.status_code == 200
    assert unit_a.name in text(overview)
    assert unit_b.name not in text(overview)
    assert [row.unit for row in overview.context["rows"]] == [unit_a]
    assert overview.context["rows"][0].figures.respondents == 1

    assert officer_en.get(unit_page(unit_a, period)).status_code == 200
    assert officer_en.get(unit_page(unit_a, period, "jawaban.csv")).status_code == 200
    assert officer_en.get(unit_page(unit_b, period)).status_code == 403
    assert officer_en.get(unit_page(unit_b, period, "jawaban.csv")).status_code == 403
    assert officer_en.get(code_page(unit_b)).status_code == 403
    assert officer_en.get(unit_page(unit_a, period).replace(unit_a.slug, "tidak-ada")).status_code == 404
    assert officer_en.get(f"/petugas/skm/{unit_a.agency.slug}/{unit_a.slug}/2026-X9/").status_code == 404


def test_a_staff_member_outside_any_unit_is_refused(unit_a: ServiceUnit, coordinator: User) -> None:
    client = verified_client(coordinator)  # an agency role, no unit, no inspectorate

    assert client.get(OVERVIEW).status_code == 403
    assert client.get(unit_page(unit_a, past_period())).status_code == 403


@pytest.mark.parametrize("persona", ["inspector", "admin_user"])
def test_the_inspectorate_and_administrators_read_every_unit(
    request: pytest.FixtureRequest, persona: str, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    client = en(verified_client(request.getfixturevalue(persona)))
    period = past_period()

    overview = client.get(OVERVIEW)
    assert overview.status_code == 200
    assert {unit_a.name, unit_b.name} <= {row.unit.name for row in overview.context["rows"]}
    for unit in (unit_a, unit_b):
        assert client.get(unit_page(unit, period)).status_code == 200
        assert client.get(unit_page(unit, period, "jawaban.csv")).status_code == 200
    # Read only: no code, no settings, no publication.
    assert client.get(code_page(unit_a)).status_code == 403
    assert client.post(unit_page(unit_a, period, "terbitkan/")).status_code == 403


@pytest.mark.parametrize("kind", ["tahun", "semester", "triwulan"])
def test_the_overview_offers_the_recent_periods_of_each_kind(officer_en: Client, kind: str) -> None:
    response = officer_en.get(OVERVIEW, {"jenis": kind, "periode": "bukan-periode"})

    assert response.status_code == 200
    periods = response.context["periods"]
    assert len(periods) == 4
    assert periods[0].contains(today())
    assert response.context["period"] == periods[0]


def test_the_overview_query_count_does_not_grow_with_the_units(
    inspector: User, django_assert_max_num_queries: Any
) -> None:
    from layanan.accounts.tests.factories import ServiceUnitFactory

    client = verified_client(inspector)
    client.get(OVERVIEW)  # warm up the session and the caches
    for _ in range(6):
        respond(ServiceUnitFactory())
    with django_assert_max_num_queries(20) as counted:
        assert client.get(OVERVIEW).status_code == 200
    few = len(counted.captured_queries)
    for _ in range(6):
        respond(ServiceUnitFactory())
    with django_assert_max_num_queries(few) as counted_more:
        assert client.get(OVERVIEW).status_code == 200
    assert len(counted_more.captured_queries) == few


# --- The unit head: settings, plan, moderation, publication --------------------------------------------


def test_the_unit_head_saves_the_settings(head: Client, unit_a: ServiceUnit) -> None:
    period = past_period()
    response = head.post(
        unit_page(unit_a, period, "pengaturan/"),
        {"weighting": "exact", "offline_population": "250", "method_note": "Formulir kertas di loket."},
    )

    assert response.status_code == 302
    assert response["Location"] == unit_page(unit_a, period) + "#settings"
    report = SurveyReport.objects.get(unit=unit_a, period_key=period.key)
    assert (report.weighting, report.offline_population, report.method_note) == (
        "exact",
        250,
        "Formulir kertas di loket.",
    )


@pytest.mark.parametrize("number", ["dua ratus", "-5", "1.5", ""])
def test_a_bad_number_gives_400_and_keeps_the_input(head: Client, unit_a: ServiceUnit, number: str) -> None:
    period = past_period()
    response = head.post(
        unit_page(unit_a, period, "pengaturan/"),
        {"weighting": "exact", "offline_population": number, "method_note": "Catatan metode survei"},
    )

    assert response.status_code == 400
    html = text(response)
    assert "Enter a whole number, 0 if there were none." in html
    if number:
        assert f'value="{number}"' in html
    assert "Catatan metode survei" in html
    assert not SurveyReport.objects.exists()


def test_the_unit_head_adds_a_follow_up(head: Client, unit_a: ServiceUnit) -> None:
    period = past_period()
    due = (period.end + datetime.timedelta(days=60)).isoformat()

    response = head.post(
        unit_page(unit_a, period, "rencana/"),
        {"element": "waktu", "action": "Tambah satu loket", "owner": "Kepala Seksi Pelayanan", "due_on": due},
    )

    assert response.status_code == 302
    item = FollowUpAction.objects.get()
    assert (item.element, item.action, item.owner, item.due_on.isoformat()) == (
        "waktu",
        "Tambah satu loket",
        "Kepala Seksi Pelayanan",
        due,
    )
    assert "Tambah satu loket" in text(head.get(unit_page(unit_a, period)))


def test_a_follow_up_without_a_responsible_gives_400(head: Client, unit_a: ServiceUnit) -> None:
    period = past_period()

    response = head.post(
        unit_page(unit_a, period, "rencana/"),
        {"element": "", "action": "Perbaiki papan informasi", "owner": "", "due_on": period.end.isoformat()},
    )

    assert response.status_code == 400
    assert "Name who is responsible." in text(response)
    assert "Perbaiki papan informasi" in text(response)
    assert not FollowUpAction.objects.exists()


def test_a_follow_up_due_before_the_period_gives_400(head: Client, unit_a: ServiceUnit) -> None:
    period = past_period()
    early = (period.start - datetime.timedelta(days=1)).isoformat()

    response = head.post(
        unit_page(unit_a, period, "rencana/"), {"action": "Pelatihan", "owner": "Kasubag", "due_on": early}
    )

    assert response.status_code == 400
    assert "The due date cannot be before the period." in text(response)


def test_the_unit_head_updates_and_removes_a_follow_up(
    head: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    item = actions.add_follow_up(
        unit_a, period, element="", action="Survei ulang", owner="Kasi", due_on=period.end, actor=unit_head
    )
    prefix = str(item.public_id)

    updated = head.post(
        f"/petugas/skm/rencana/{item.public_id}/",
        {"periode": period.key, f"{prefix}-status": "in_progress", f"{prefix}-progress_note": "Dijadwalkan."},
    )
    assert updated.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress_note) == ("in_progress", "Dijadwalkan.")

    bad = head.post(
        f"/petugas/skm/rencana/{item.public_id}/", {"periode": period.key, f"{prefix}-status": "lupa"}
    )
    assert bad.status_code == 400

    removed = head.post(f"/petugas/skm/rencana/{item.public_id}/hapus/")
    assert removed.status_code == 302
    assert not FollowUpAction.objects.exists()


def test_the_unit_head_moderates_a_suggestion(head: Client, unit_a: ServiceUnit) -> None:
    period = past_period()
    response = respond(unit_a, day=day_in(period), suggestion="Telepon saya 081234567890, antrean lama.")
    prefix = str(response.public_id)

    page = text(head.get(unit_page(unit_a, period)))
    assert "Telepon saya 081234567890, antrean lama." in page  # the head reads what was written
    assert "Telepon saya [PHONE], antrean lama." in page  # and is offered a wording without it

    missing = head.post(f"/petugas/skm/saran/{response.public_id}/", {"periode": period.key})
    assert missing.status_code == 400
    assert "Choose whether to publish the suggestion." in text(missing)

    empty = head.post(
        f"/petugas/skm/saran/{response.public_id}/",
        {"periode": period.key, f"{prefix}-decision": "publish", f"{prefix}-wording": "  "},
    )
    assert empty.status_code == 400
    assert "Write the wording to publish." in text(empty)

    done = head.post(
        f"/petugas/skm/saran/{response.public_id}/",
        {
            "periode": period.key,
            f"{prefix}-decision": "publish",
            f"{prefix}-wording": "Antrean lama (081234567890).",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == unit_page(unit_a, period) + "#suggestions"
    response.refresh_from_db()
    assert response.suggestion_status == SurveyResponse.SuggestionStatus.PUBLISHED
    assert response.published_suggestion == "Antrean lama ([PHONE])."


def test_the_unit_head_publishes_and_lands_on_the_public_page(
    head: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    for number, row in enumerate(ORACLE):
        respond(unit_a, row, day=day_in(period, number))

    response = head.post(unit_page(unit_a, period, "terbitkan/"))

    assert response.status_code == 302
    assert response["Location"] == f"/skm/{unit_a.agency.slug}/{unit_a.slug}/{period.key}/"
    report = SurveyReport.objects.get()
    assert report.is_published
    assert report.published_by == unit_head
    public = en(Client()).get(response["Location"])
    assert public.status_code == 200
    assert "78.38" in text(public)

    # Frozen: the staff page offers no settings any more, and posting them is refused.
    page = head.get(unit_page(unit_a, period))
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    refused = head.post(
        unit_page(unit_a, period, "pengaturan/"), {"weighting": "exact", "offline_population": "1"}
    )
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.weighting == "permen"


def test_publishing_an_open_period_gives_400_with_the_reason(head: Client, unit_a: ServiceUnit) -> None:
    current = Period.containing(today(), "quarter")
    respond(unit_a)

    response = head.post(unit_page(unit_a, current, "terbitkan/"))

    assert response.status_code == 400
    assert "The period has not ended yet." in text(response)
    assert not SurveyReport.objects.filter(status=SurveyReport.Status.PUBLISHED).exists()


def test_publishing_with_pending_suggestions_gives_400(head: Client, unit_a: ServiceUnit) -> None:
    period = past_period()
    respond(unit_a, day=day_in(period), suggestion="Tolong sediakan kursi roda.")

    response = head.post(unit_page(unit_a, period, "terbitkan/"))

    assert response.status_code == 400
    assert "Moderate every suggestion before publishing." in text(response)


def test_the_follow_up_progress_is_saved_after_publication(
    head: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    item = actions.add_follow_up(
        unit_a, period, element="", action="Renovasi", owner="Kasubag", due_on=period.end, actor=unit_head
    )
    published_report(unit_a, unit_head, period=period)
    prefix = str(item.public_id)

    response = head.post(
        f"/petugas/skm/rencana/{item.public_id}/",
        {"periode": period.key, f"{prefix}-status": "done", f"{prefix}-progress_note": "Selesai Maret."},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert head.post(f"/petugas/skm/rencana/{item.public_id}/hapus/").status_code == 302
    assert FollowUpAction.objects.filter(pk=item.pk).exists()  # removal refused: the report is published


def test_officers_cannot_do_what_only_the_head_does(
    officer_en: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    response = respond(unit_a, day=day_in(period), suggestion="Rahasia: Budi 081234567890")
    item = actions.add_follow_up(
        unit_a, period, element="", action="Pelatihan", owner="Kasi", due_on=period.end, actor=unit_head
    )
    prefix, item_prefix = str(response.public_id), str(item.public_id)

    posts = [
        (unit_page(unit_a, period, "pengaturan/"), {"weighting": "exact", "offline_population": "9"}),
        (
            unit_page(unit_a, period, "rencana/"),
            {"action": "x", "owner": "y", "due_on": period.end.isoformat()},
        ),
        (unit_page(unit_a, period, "terbitkan/"), {}),
        (
            f"/petugas/skm/saran/{response.public_id}/",
            {f"{prefix}-decision": "publish", f"{prefix}-wording": "x"},
        ),
        (f"/petugas/skm/rencana/{item.public_id}/", {f"{item_prefix}-status": "done"}),
        (f"/petugas/skm/rencana/{item.public_id}/hapus/", {}),
    ]
    for url, data in posts:
        assert officer_en.post(url, data).status_code == 403, url

    response.refresh_from_db()
    item.refresh_from_db()
    report = SurveyReport.objects.get()
    assert response.suggestion_status == SurveyResponse.SuggestionStatus.PENDING
    assert item.status == "planned"
    assert (report.status, report.weighting) == ("draft", "permen")
    # The officer's page shows neither the moderation forms nor the raw suggestion.
    page = officer_en.get(unit_page(unit_a, period))
    assert page.status_code == 200
    assert "081234567890" not in text(page)
    assert "terbitkan/" not in text(page)


def test_the_head_of_another_unit_gets_404_or_403(unit_a: ServiceUnit, unit_b: ServiceUnit) -> None:
    from layanan.accounts.roles import Role
    from layanan.accounts.tests.factories import staff_with_role

    other_head = verified_client(staff_with_role(Role.UNIT_HEAD, unit=unit_b))
    period = past_period()
    response = respond(unit_a, day=day_in(period), suggestion="Ruang sempit")

    assert other_head.post(unit_page(unit_a, period, "terbitkan/")).status_code == 403
    assert other_head.post(f"/petugas/skm/saran/{response.public_id}/", {}).status_code == 404


# --- The CSV export -----------------------------------------------------------------------------------


def test_the_csv_export_has_one_anonymous_row_per_response(
    officer_en: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    service = ServiceFactory(unit=unit_a, slug="akta-kelahiran")
    first = respond(
        unit_a,
        ORACLE[0],
        day=day_in(period, 1),
        service=service,
        profile={"sex": "P", "age_band": "30-39", "education": "sma", "occupation": "swasta"},
        suggestion="Nama saya Siti, petugas ramah sekali",
    )
    respond(unit_a, (None, 2, 3), day=day_in(period, 2), suggestion="Rahasia pribadi, jangan dibagikan")
    respond(unit_a, ORACLE[3], day=day_in(period, 3), suggestion='=HYPERLINK("http://x")')
    respond(unit_a, ORACLE[2], day=period.end + datetime.timedelta(days=1))  # another period
    pending = list(queries.suggestions(unit_a, period))
    actions.moderate_suggestion(pending[0], publish=True, wording="Petugas ramah sekali", actor=unit_head)
    actions.moderate_suggestion(pending[1], publish=False, wording="", actor=unit_head)
    actions.moderate_suggestion(pending[2], publish=True, wording='=HYPERLINK("http://x")', actor=unit_head)

    response = officer_en.get(unit_page(unit_a, period, "jawaban.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="skm-{unit_a.agency.slug}-{unit_a.slug}-{period.key}.csv"'
        in response["Content-Disposition"]
    )
    raw, rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header == [
        "tanggal",
        "kanal",
        "layanan",
        *[f"U{number}" for number in range(1, 10)],
        "jenis_kelamin",
        "usia",
        "pendidikan",
        "pekerjaan",
        "saran_terbit",
    ]
    assert len(body) == 3
    assert body[0] == [
        first.submitted_on.isoformat(),
        Channel.UNIT_LINK,
        "akta-kelahiran",
        *[str(value) for value in ORACLE[0]],
        "P",
        "30-39",
        "sma",
        "swasta",
        "Petugas ramah sekali",
    ]
    assert body[1][3:12] == ["", "2", "3", "", "", "", "", "", ""]
    assert body[1][-1] == ""
    assert body[2][-1] == '\'=HYPERLINK("http://x")'
    assert "Nama saya Siti" not in raw
    assert "Rahasia pribadi" not in raw


def test_the_csv_export_is_read_by_skm_score(officer_en: Client, unit_a: ServiceUnit, tmp_path: Any) -> None:
    """The columns U1..U9 are what ``layanan skm_score`` reads: same IKM as the oracle."""
    from django.core.management import call_command

    period = past_period()
    for number, row in enumerate(ORACLE):
        respond(unit_a, row, day=day_in(period, number))
    raw, _rows = csv_rows(officer_en.get(unit_page(unit_a, period, "jawaban.csv")))
    path = tmp_path / "export.csv"
    path.write_text(raw, encoding="utf-8")
    out = io.StringIO()

    call_command("skm_score", str(path), "--weighting", "exact", stdout=out)

    assert "79.17" in out.getvalue()


# --- Counter codes ----------------------------------------------------------------------------------


def test_an_officer_issues_a_code_with_its_qr(officer_en: Client, unit_a: ServiceUnit, officer: User) -> None:
    service = ServiceFactory(unit=unit_a, name="Kartu Keluarga")
    form = officer_en.get(code_page(unit_a))
    assert form.status_code == 200
    assert "Kartu Keluarga" in text(form)

    posted = officer_en.post(code_page(unit_a), {"service": str(service.pk)})

    assert posted.status_code == 302
    response = officer_en.get(posted["Location"])
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = text(response)
    invitation = SurveyInvitation.objects.get()
    code = response.context["code"]
    assert len(code) == 9
    assert code[4] == "-"
    assert f'id="survey-code">{code}</strong>' in html
    assert "<svg" in html
    assert "</svg>" in html
    assert invitation.token_digest == queries.token_digest(code)
    assert (invitation.unit, invitation.service, invitation.issued_by) == (unit_a, service, officer)
    assert invitation.source == Channel.COUNTER
    # The code opens the form.
    assert en(Client()).get(f"/survei/{code.replace('-', '')}/").status_code == 200
    # Reloading the page shows the same code; it does not make another one.
    assert officer_en.get(posted["Location"]).context["code"] == code
    assert SurveyInvitation.objects.count() == 1


def test_the_code_page_without_a_fresh_code_goes_back_to_the_form(
    officer_en: Client, unit_a: ServiceUnit
) -> None:
    response = officer_en.get(code_page(unit_a) + "baru/")

    assert response.status_code == 302
    assert response["Location"] == code_page(unit_a)


def test_a_code_for_another_units_service_is_refused(
    officer_en: Client, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    response = officer_en.post(code_page(unit_a), {"service": str(ServiceFactory(unit=unit_b).pk)})

    assert response.status_code == 400
    assert "Choose a service from the list." in text(response)
    assert not SurveyInvitation.objects.exists()
