from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A national holiday or *cuti bersama* day, with the decree that set it."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")

    date = models.DateField(_("date"), db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_source = models.CharField(
        _("legal source"),
        max_length=300,
        help_text=_("The decree that sets this day, e.g. SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025."),
    )
    # Rows written by ``load_holidays``; a re-run updates only these, never an administrator's rows.
    is_imported = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, editable=False)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["date", "kind", "name"], name="workdays_holiday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.get_kind_display()})"


class UnitClosure(models.Model):
    """A day one service unit is closed although the calendar says it works (e.g. a staff retreat)."""

    unit = models.ForeignKey(
        "accounts.ServiceUnit", on_delete=models.CASCADE, related_name="closures", verbose_name=_("unit")
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, editable=False)

    class Meta:
        verbose_name = _("unit closure")
        verbose_name_plural = _("unit closures")
        ordering = ["date", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="workdays_closure_unit_date")]

    def __str__(self) -> str:
        return f"{self.unit} closed {self.date.isoformat()}"
