from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from layanan.accounts.contact import Contact
from layanan.accounts.models import Agency, ServiceUnit, StaffMembership, User
from layanan.accounts.permissions import headed_unit_ids
from layanan.accounts.roles import UNIT_ROLES
from layanan.regions.models import Region


def public_agencies() -> QuerySet[Agency]:
    """Active agencies with their region and active units, in two queries."""
    return (
        Agency.objects.filter(is_active=True)
        .select_related("region")
        .prefetch_related(
            Prefetch("units", queryset=ServiceUnit.objects.filter(is_active=True).order_by("name"))
        )
        .order_by("name")
    )


def find_user_by_contact(contact: Contact) -> User | None:
    """The account signed in with this e-mail address or mobile number, if any."""
    if contact.channel == "email":
        return User.objects.filter(email__iexact=contact.address).first()
    return User.objects.filter(phone_index=contact.index).first()


def active_memberships_of(user: User) -> QuerySet[StaffMembership]:
    return (
        StaffMembership.objects.active()
        .filter(user=user)
        .select_related("agency", "unit")
        .order_by("role", "agency__name", "unit__name")
    )


def staff_memberships_visible_to(user: User) -> QuerySet[StaffMembership]:
    """Memberships on the staff list: all for platform admins, their units' staff for unit heads."""
    memberships = StaffMembership.objects.select_related("user", "agency", "unit").order_by(
        "-is_active", "agency__name", "unit__name", "user__full_name", "user__username"
    )
    if user.is_platform_admin:
        return memberships
    return memberships.filter(unit_id__in=headed_unit_ids(user), role__in=UNIT_ROLES)


def units_for_staff_form(user: User) -> QuerySet[ServiceUnit]:
    units = (
        ServiceUnit.objects.filter(is_active=True).select_related("agency").order_by("agency__name", "name")
    )
    if user.is_platform_admin:
        return units
    return units.filter(pk__in=headed_unit_ids(user))


def regencies() -> QuerySet[Region]:
    """Regions of level 2 (regency/city); empty until the regions are loaded."""
    return Region.objects.filter(level=Region.Level.REGENCY).order_by("name")
