"""Forms of the queue. Shape only: the actions check every value again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.queueing.models import Need, ServiceGroup


class TicketForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Which service do you need?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a service."),
            "invalid_choice": _("Choose a service from the list."),
        },
    )
    need = forms.ChoiceField(
        label=_("Do you need to be served first?"),
        help_text=_(
            "Older people, people with a disability, pregnant women and people with small children are "
            "served first. Nothing else is asked or stored."
        ),
        choices=Need.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers offered.")},
    )

    def __init__(self, *args: Any, groups: list[ServiceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        field = self.fields["group"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(group.pk), f"{group.prefix} — {group.name}") for group in groups]
        if not self.is_bound:
            self.initial.setdefault("need", "")

    def chosen_group(self) -> ServiceGroup:
        return self.groups[self.cleaned_data["group"]]


class FinishForm(forms.Form):
    application_reference = forms.CharField(
        label=_("Application made for this visit (optional)"),
        help_text=_("The reference number, when you applied for the visitor at the counter."),
        required=False,
        max_length=32,
    )


class TransferForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Send to"),
        error_messages={"required": _("Choose a line."), "invalid_choice": _("Choose a line from the list.")},
    )

    def __init__(self, *args: Any, groups: list[ServiceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        field = self.fields["group"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(group.pk), f"{group.prefix} — {group.name}") for group in groups]

    def chosen_group(self) -> ServiceGroup:
        return self.groups[self.cleaned_data["group"]]
