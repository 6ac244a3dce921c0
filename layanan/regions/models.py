from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.regions.codes import validate_region_code


class Region(models.Model):
    """One province, regency/city, district or village, keyed by its dotted Kemendagri code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        REGENCY = 2, _("regency/city")
        DISTRICT = 3, _("district")
        VILLAGE = 4, _("village")

    code = models.CharField(
        max_length=13, primary_key=True, validators=[validate_region_code]
    )  # "33.73.04.1001"
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    postal_code = models.CharField(max_length=5, blank=True)
    source = models.CharField(max_length=80, default="Kepmendagri 300.2.2-2138/2025")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_city(self) -> bool:
        """Regency codes 71-99 are cities (*kota*), 01-69 regencies (*kabupaten*)."""
        return self.level == self.Level.REGENCY and int(self.code.split(".")[1]) >= 71
