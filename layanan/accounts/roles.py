"""The roles of the platform. Staff roles are held through ``StaffMembership`` rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONT_OFFICE = "front_office", _("Front-office officer")
    BACK_OFFICE = "back_office", _("Back-office officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    COMPLAINT_COORDINATOR = "complaint_coordinator", _("Complaint coordinator")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# Roles whose membership names a service unit, not only an agency.
UNIT_ROLES = frozenset({Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD})
