from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.catalog.models import Service


class ServiceFilterForm(forms.Form):
    """The life-event filter of the service list (a GET form: ``?peristiwa=<key>``)."""

    peristiwa = forms.ChoiceField(
        label=_("Life event"),
        required=False,
        choices=[("", _("All life events")), *Service.LifeEvent.choices],
        help_text=_("Show only the services you may need for this moment in life."),
        error_messages={"invalid_choice": _("Choose a life event from the list.")},
    )

    def life_event(self) -> str:
        """The chosen key, or ``""`` when none (or an unknown one) was given."""
        if self.is_valid():
            return str(self.cleaned_data["peristiwa"])
        return ""
