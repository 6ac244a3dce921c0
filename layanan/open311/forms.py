"""The form with which a platform administrator registers an Open311 client."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.open311.actions import CONTACT_MAX_LENGTH, NAME_MAX_LENGTH
from layanan.regions.models import Region


class ClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the client"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("The application or system that will submit reports, e.g. Aplikasi Lapor Banyumas."),
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=CONTACT_MAX_LENGTH,
        help_text=_("Who runs the client: a name with an e-mail address or phone number."),
    )
    region = forms.CharField(
        label=_("Jurisdiction (optional)"),
        required=False,
        max_length=13,
        help_text=_(
            "The Kemendagri code of the regency or city the client may report in, e.g. 33.02. "
            "Leave empty for the whole platform."
        ),
    )

    def clean_region(self) -> Region | None:
        code: str = self.cleaned_data.get("region", "").strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("There is no region with the code %(code)s."), params={"code": code}
            )
        if region.level < Region.Level.REGENCY:
            raise forms.ValidationError(_("Choose a regency or city, or a region below one."))
        return region

    def action_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "contact": data["contact"], "region": data["region"]}
