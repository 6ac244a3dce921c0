"""Forms more than one app uses.

* ``TrackingFormBase``: the public tracking look-up, a reference number and its tracking code
  (``layanan.applications.views.tracking``, ``layanan.complaints.forms``). A mistyped reference is
  caught by its check digit and a malformed code by its alphabet, without touching the database.
  A subclass gives the example of its own references (``reference_help``) and the message for a
  reference with a typo (``reference_typo``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layanan.core.references import (
    SECRET_LENGTH,
    TRACKING_ALPHABET,
    Reference,
    normalise_secret,
    parse_reference,
)

_CODE_ATTRS = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}


class TrackingFormBase(forms.Form):
    reference_help: ClassVar[Any]
    reference_typo: ClassVar[Any]

    reference = forms.CharField(
        label=_("Reference number"),
        max_length=64,
        error_messages={
            "required": _("Enter the reference number."),
            "max_length": _("A reference number is shorter than this. Check what you typed."),
        },
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=64,
        help_text=_("The 8 letters and digits you received with the reference number, for example K7QM2XHD."),
        error_messages={
            "required": _("Enter the tracking code."),
            "max_length": _("A tracking code has 8 characters. Check what you typed."),
        },
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = self.reference_help

    def clean_reference(self) -> Reference:
        parsed = parse_reference(self.cleaned_data["reference"])
        if parsed is None:
            raise ValidationError(self.reference_typo, code="typo")
        return parsed

    def clean_code(self) -> str:
        code = normalise_secret(self.cleaned_data["code"])
        if len(code) != SECRET_LENGTH or any(char not in TRACKING_ALPHABET for char in code):
            raise ValidationError(
                _(
                    "A tracking code has 8 characters: capital letters and the digits 2 to 9, for "
                    "example K7QM2XHD. Check what you typed."
                ),
                code="format",
            )
        return code
