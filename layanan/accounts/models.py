from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.roles import Role
from layanan.core.crypto import EncryptedTextField
from layanan.core.masking import mask_email, mask_nik, mask_phone, mask_text
from layanan.core.models import TimeStampedModel

if TYPE_CHECKING:
    from collections.abc import Iterable


class User(AbstractUser):
    """A person who signs in: a citizen (e-mail or phone + one-time code) or staff (password + TOTP)."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Staff")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Phone is personal data: encrypted, found through its blind index (normalised +62...).
    phone = EncryptedTextField(_("mobile number"), blank=True, default="")
    phone_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="accounts_user_unique_email"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def masked_phone(self) -> str:
        # Stored as +628...; people recognise their number in the national form 08...
        national = f"0{self.phone[3:]}" if self.phone.startswith("+62") else self.phone
        return mask_phone(national)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email) if self.email else ""

    def active_roles(self) -> set[str]:
        """Roles held through active memberships (cached per instance)."""
        cached: set[str] | None = getattr(self, "_active_roles", None)
        if cached is None:
            cached = set(self.memberships.filter(is_active=True).values_list("role", flat=True))
            self._active_roles = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.active_roles() & set(roles))

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.PLATFORM_ADMIN)


class Agency(TimeStampedModel):
    """An *instansi* present at the MPP: regional OPD, vertical agency, BUMN/BUMD or private partner."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional government agency (OPD)")
        VERTICAL = "vertical", _("Central government (vertical) agency")
        SOE = "soe", _("State-owned enterprise (BUMN)")
        REGIONAL_SOE = "regional_soe", _("Regionally-owned enterprise (BUMD)")
        PRIVATE = "private", _("Private partner")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="agencies")
    duties = models.TextField(
        _("duties"), blank=True, help_text=_("Declared tasks and functions (tugas dan fungsi).")
    )
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceUnit(TimeStampedModel):
    """A *unit layanan* of an agency, with the office hours its deadlines are counted in."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="units")
    address = models.CharField(_("office address"), max_length=300, blank=True)
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(16, 0))
    # Applications received after the cut-off count from the next working day.
    cutoff_at = models.TimeField(_("same-day cut-off"), default=datetime.time(15, 0))
    works_saturday = models.BooleanField(_("open on Saturdays"), default=False)
    observes_cuti_bersama = models.BooleanField(_("closed on collective leave days"), default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("service unit")
        verbose_name_plural = _("service units")
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="accounts_unit_agency_slug")]

    def __str__(self) -> str:
        return self.name


class StaffMembershipQuerySet(models.QuerySet["StaffMembership"]):
    def active(self) -> StaffMembershipQuerySet:
        return self.filter(is_active=True)

    def with_roles(self, roles: Iterable[str]) -> StaffMembershipQuerySet:
        return self.filter(role__in=list(roles))


class StaffMembership(TimeStampedModel):
    """A staff member's role in an agency (and, for unit roles, one of its units)."""

    # The key in URLs (never the bare pk).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        ServiceUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    is_active = models.BooleanField(default=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency", "unit"], name="accounts_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.PLATFORM_ADMIN) | Q(agency__isnull=False),
                name="accounts_membership_agency_required",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.agency or _("platform")
        return f"{self.user} — {self.get_role_display()} @ {where}"


class CitizenProfile(TimeStampedModel):
    """Once-only personal data of a citizen. NIK, KK number and address are encrypted at rest."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    nik = EncryptedTextField(_("NIK"), blank=True, default="")
    nik_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    kk_number = EncryptedTextField(_("family card (KK) number"), blank=True, default="")
    address = EncryptedTextField(_("address"), blank=True, default="")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT)
    # When the citizen accepted the privacy notice at sign-up (UU 27/2022: consent is recorded).
    privacy_notice_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.masked_nik or '-'})"

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)

    @property
    def masked_kk_number(self) -> str:
        return mask_nik(self.kk_number)

    @property
    def masked_address(self) -> str:
        return mask_text(self.address)


class OneTimeCode(models.Model):
    """A short numeric code sent to an e-mail address or phone to sign a citizen in.

    Only a keyed hash of the code and a blind index of the address are stored.
    """

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("sign in")
        SIGN_UP = "sign_up", _("sign up")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.purpose} via {self.channel}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at


class ApiToken(models.Model):
    """A bearer token with which a machine client calls the API as ``user``.

    The token is shown once when it is made (``layanan.accounts.actions.tokens``); only its SHA-256
    digest is stored (looked up by that digest), and its first characters for display.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("token prefix"), max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Refreshed at most once a minute (``record_api_token_use``).
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
