"""Test data builders for identity and organisation (plain factory_boy, no fixtures files)."""

from __future__ import annotations

import json

import factory
from django.contrib.auth.hashers import make_password
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.accounts.models import Agency, CitizenProfile, ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.core.crypto import blind_index
from layanan.notifications.models import Notification
from layanan.regions.models import Region

TEST_PASSWORD = "correct horse battery staple"


def region(code: str = "33.74", name: str = "Kota Semarang") -> Region:
    """Get or create a region and its parents (only the codes the tests need)."""
    parts = code.split(".")
    parent = None
    for depth in range(1, len(parts) + 1):
        partial = ".".join(parts[:depth])
        defaults = {
            "name": name if partial == code else f"Wilayah {partial}",
            "level": depth,
            "parent": parent,
        }
        parent, _created = Region.objects.get_or_create(code=partial, defaults=defaults)
    assert parent is not None
    return parent


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.id")
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))


class CitizenFactory(UserFactory):
    kind = User.Kind.CITIZEN


class StaffUserFactory(UserFactory):
    kind = User.Kind.STAFF


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    slug = factory.Sequence(lambda n: f"instansi-{n}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    kind = Agency.Kind.REGIONAL
    region = factory.LazyFunction(region)


class ServiceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUnit

    agency = factory.SubFactory(AgencyFactory)
    slug = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unit Layanan {n}")
    region = factory.LazyAttribute(lambda unit: unit.agency.region)


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(StaffUserFactory)
    role = Role.BACK_OFFICE
    unit = factory.SubFactory(ServiceUnitFactory)
    agency = factory.LazyAttribute(lambda membership: membership.unit.agency if membership.unit else None)


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    user = factory.SubFactory(CitizenFactory)


def staff_with_role(role: str, *, unit: ServiceUnit | None = None, agency: Agency | None = None) -> User:
    """A staff user holding ``role`` in ``unit`` (or ``agency``; platform admins hold it nowhere)."""
    user = StaffUserFactory()
    if role == Role.PLATFORM_ADMIN:
        StaffMembership.objects.create(user=user, role=role)
    elif unit is not None:
        StaffMembership.objects.create(user=user, role=role, unit=unit, agency=unit.agency)
    else:
        StaffMembership.objects.create(user=user, role=role, agency=agency or AgencyFactory())
    return user


# A structurally valid NIK (Kota Bandung, woman born 15-08-1990, serial 0009) and another one.
VALID_NIK = "3273015508900009"
OTHER_VALID_NIK = "3515140508680001"
VALID_KK_NUMBER = "3273010101200003"


def citizen_with_phone(phone: str = "+6281234567890", **kwargs: object) -> User:
    """A citizen who signs in with a mobile number (stored encrypted, found by its blind index)."""
    return CitizenFactory(email="", phone=phone, phone_index=blind_index(phone, purpose="phone"), **kwargs)


def citizen_profile_with_nik(
    user: User | None = None, *, nik: str = VALID_NIK, **kwargs: object
) -> CitizenProfile:
    return CitizenProfileFactory(
        user=user or CitizenFactory(), nik=nik, nik_index=blind_index(nik, purpose="nik"), **kwargs
    )


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=confirmed)


def current_totp_token(device: TOTPDevice) -> str:
    """The code the staff member's authenticator app shows now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def last_sent_code() -> str:
    """The one-time code in the newest notification (decrypted from its stored context)."""
    notification = Notification.objects.filter(template="otp_code").order_by("-pk").first()
    assert notification is not None, "no code was sent"
    return str(json.loads(notification.context)["code"])
