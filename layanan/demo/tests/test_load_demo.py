from __future__ import annotations

import time
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.models import Agency, CitizenProfile, ServiceUnit, StaffMembership, User
from layanan.accounts.nik import validate_nik
from layanan.accounts.roles import Role
from layanan.audit.models import AuditEvent
from layanan.catalog.actions import missing_components
from layanan.catalog.models import Service, ServiceLifeEvent, ServicePromise, ServiceStandard
from layanan.catalog.standard import INTERNAL_COMPONENTS
from layanan.core.crypto import blind_index
from layanan.demo.actions import load_demo_data
from layanan.demo.data.people import DEMO_PASSWORD
from layanan.demo.data.standards import AGENCY_STANDARDS, MAKLUMAT
from layanan.demo.totp import base32_secret
from layanan.regions.models import Region

pytestmark = pytest.mark.django_db

MODELS = (
    Region,
    Agency,
    ServiceUnit,
    Service,
    ServiceLifeEvent,
    ServiceStandard,
    ServicePromise,
    User,
    StaffMembership,
    TOTPDevice,
    CitizenProfile,
)


def _load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--skip-holidays", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_second_run_changes_nothing_and_records_no_second_demo_event() -> None:
    first_output = _load_demo()
    counts, events = _counts(), AuditEvent.objects.count()

    second_output = _load_demo()

    assert _counts() == counts
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 1
    assert "Demo loaded" in first_output
    assert "nothing changed" in second_output


def test_second_run_is_fast() -> None:
    load_demo_data()

    started = time.monotonic()
    load = load_demo_data()

    assert not load.changed
    assert time.monotonic() - started < 2.0


def test_demo_has_a_regency_mpp_with_agencies_services_and_every_role() -> None:
    _load_demo()

    regency = Region.objects.get(code="33.02")
    assert regency.name == "Kabupaten Banyumas"
    assert regency.parent is not None
    assert regency.parent.name == "Jawa Tengah"
    assert Agency.objects.filter(region=regency).count() >= 8
    assert set(Agency.objects.values_list("kind", flat=True)) >= {
        Agency.Kind.REGIONAL,
        Agency.Kind.VERTICAL,
        Agency.Kind.REGIONAL_SOE,
    }
    assert all(agency.units.exists() and agency.duties for agency in Agency.objects.all())
    assert Service.objects.filter(is_active=True).count() >= 25
    assert set(StaffMembership.objects.filter(is_active=True).values_list("role", flat=True)) == set(
        Role.values
    )
    assert set(ServiceLifeEvent.objects.values_list("event", flat=True)) == set(Service.LifeEvent.values)


def test_every_demo_service_passes_catalog_validation() -> None:
    _load_demo()

    for service in Service.objects.all():
        service.full_clean()
        assert service.counter_location


def test_every_demo_service_has_a_complete_adopted_standard_with_a_decree() -> None:
    _load_demo()

    services = list(Service.objects.select_related("adopted_standard", "unit__agency"))
    assert len(services) == 35
    for service in services:
        standard = service.adopted_standard
        assert standard is not None, service.slug
        assert standard.status == ServiceStandard.Status.ADOPTED
        assert missing_components(standard) == [], service.slug
        components = standard.components()
        assert components is not None
        assert standard.decree_number.startswith("Keputusan ")
        assert len(standard.decree_number) <= 120
        assert standard.decree_date is not None
        assert all(getattr(standard, key).strip() for key in INTERNAL_COMPONENTS)
        # Fees are never a bare number; free services say why they are free.
        if components.fee.is_free:
            assert components.fee.legal_basis, service.slug
        else:
            assert all(item.amount > 0 and item.legal_basis for item in components.fee.items)
        assert "sp4n_lapor" in {channel.kind for channel in components.complaint_channels}
        assert len({step.actor for step in components.procedure}) >= 2


def test_demo_standards_show_the_variety_of_requirements_and_fees() -> None:
    _load_demo()

    standards = [
        s.components() for s in ServiceStandard.objects.filter(status=ServiceStandard.Status.ADOPTED)
    ]
    requirements = [r for c in standards if c for r in c.requirements]
    assert {r.form for r in requirements} >= {
        "original",
        "copy",
        "original_and_copy",
        "electronic",
        "data_only",
    }
    assert any(r.condition == "hanya jika pemohon diwakilkan" for r in requirements)
    assert all(r.document_type for r in requirements)
    assert any(c and not c.fee.is_free for c in standards)
    adminduk = Service.objects.get(slug="akta-kelahiran").adopted_standard
    assert adminduk is not None
    assert "Pasal 79A" in adminduk.published["fee"]["legal_basis"]
    # Every unit of an agency with services has its promise (complaint-only agencies have none).
    units = {unit.pk for unit in ServiceUnit.objects.filter(agency__slug__in=AGENCY_STANDARDS)}
    assert units == set(ServicePromise.objects.values_list("unit_id", flat=True))
    assert all(
        promise.text == MAKLUMAT and promise.signatory_name for promise in ServicePromise.objects.all()
    )


def test_rerun_replaces_a_changed_standard_with_a_new_adopted_version() -> None:
    _load_demo()
    standard = ServiceStandard.objects.get(service__slug="skck")
    ServiceStandard.objects.filter(pk=standard.pk).update(staff_count="Diubah.")
    ServicePromise.objects.filter(unit__slug="ptsp").delete()

    output = _load_demo()

    versions = list(ServiceStandard.objects.filter(service__slug="skck").order_by("version"))
    assert [(v.version, v.status) for v in versions] == [(1, "superseded"), (2, "adopted")]
    assert versions[1].staff_count != "Diubah."
    assert ServicePromise.objects.filter(unit__slug="ptsp").exists()
    assert "1 service promise, 1 standard" in output
    assert not load_demo_data().changed


def test_existing_regions_are_kept_as_they_are() -> None:
    province = Region.objects.create(code="33", name="Jawa Tengah", level=1, source="test")

    _load_demo()

    province.refresh_from_db()
    assert province.source == "test"


def test_staff_sign_in_with_demo_password_and_a_fixed_totp_key() -> None:
    output = _load_demo()
    device = TOTPDevice.objects.get(user__username="petugas.loket")
    key = device.key

    _load_demo()

    user = User.objects.get(username="petugas.loket")
    assert user.kind == User.Kind.STAFF
    assert user.check_password(DEMO_PASSWORD)
    device.refresh_from_db()
    assert device.confirmed
    assert device.key == key
    assert base32_secret(key) in output
    assert DEMO_PASSWORD in output
    assert "layanan demo_totp <username>" in output


def test_citizens_sign_in_by_e_mail_or_phone_with_a_valid_fictional_nik() -> None:
    _load_demo()

    by_email = User.objects.get(email="siti.aminah@example.com")
    by_phone = User.objects.get(phone_index=blind_index("+6281200000001", purpose="phone"))
    assert {by_email.kind, by_phone.kind} == {User.Kind.CITIZEN}
    assert not by_email.has_usable_password()
    assert not by_phone.has_usable_password()
    profile = CitizenProfile.objects.get(user=by_email)
    facts = validate_nik(profile.nik)
    assert facts.regency_code == "33.02"
    assert facts.sex == "female"
    assert profile.nik_index == blind_index(profile.nik, purpose="nik")
    assert profile.privacy_notice_accepted_at is not None


def test_rerun_repairs_changed_demo_data_with_one_more_event() -> None:
    _load_demo()
    Service.objects.filter(slug="skck").update(name="Diubah")
    admin = User.objects.get(username="admin")
    admin.set_password("something-else-entirely")
    admin.save()
    StaffMembership.objects.filter(user__username="verifikator").update(is_active=False)

    output = _load_demo()

    assert Service.objects.get(slug="skck").name == "Surat Keterangan Catatan Kepolisian (SKCK)"
    assert StaffMembership.objects.get(user__username="verifikator").is_active
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 2
    assert AuditEvent.objects.filter(action="catalog.service_updated").count() == 1
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
    assert "updated: 1 membership, 1 service, 1 staff password" in output


def test_audit_summary_holds_counts_only() -> None:
    _load_demo()

    event = AuditEvent.objects.get(action="demo.loaded")

    assert set(event.summary) == {"created", "updated"}
    assert event.summary["created"]["service"] == Service.objects.count()
    assert "3302265508909999" not in str(event.summary)


@override_settings(IS_PRODUCTION=True, LAYANAN_ENV="production")
def test_demo_is_refused_in_production_mode() -> None:
    with pytest.raises(CommandError, match="LAYANAN_ENV=production"):
        _load_demo()

    assert _counts() == dict.fromkeys(_counts(), 0)
    assert not AuditEvent.objects.exists()


def test_holiday_loader_runs_when_the_workdays_app_provides_it() -> None:
    with (
        mock.patch(
            "layanan.demo.management.commands.load_demo.get_commands", return_value={"load_holidays": "x"}
        ),
        mock.patch("layanan.demo.management.commands.load_demo.call_command") as call,
    ):
        call_command("load_demo", stdout=StringIO())

    assert call.call_args.args == ("load_holidays",)


def test_holiday_loader_is_skipped_when_missing() -> None:
    with (
        mock.patch("layanan.demo.management.commands.load_demo.get_commands", return_value={}),
        mock.patch("layanan.demo.management.commands.load_demo.call_command") as call,
    ):
        call_command("load_demo", stdout=StringIO())

    call.assert_not_called()
