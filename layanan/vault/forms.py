"""Forms of the vault pages: shape and format of input only; storing is ``actions``' job."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core.documenttypes import DOCUMENT_TYPE_LABELS
from layanan.core.uploads import CheckedUpload, check_upload

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def max_upload_megabytes() -> str:
    """The upload limit in MB as people read it ("5", "2,5" in Indonesian)."""
    megabytes = settings.LAYANAN_UPLOAD_MAX_BYTES / (1024 * 1024)
    return number_format(int(megabytes)) if megabytes == int(megabytes) else number_format(megabytes, 1)


class VaultUploadForm(forms.Form):
    """Choose the kind of document and a file. (The page also carries a one-time token, handled by
    the view, so that sending the same form twice stores the document once.)"""

    document_type = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[("", _("Choose the kind of document")), *DOCUMENT_TYPE_LABELS.items()],
        error_messages={
            "required": _("Choose the kind of document."),
            "invalid_choice": _("Choose the kind of document from the list."),
        },
    )
    file = forms.FileField(
        label=_("File"),
        # An empty file is refused by check_upload, with the same message as everywhere else.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choose the file to upload."),
            "invalid": _("Choose the file to upload."),
            "missing": _("Choose the file to upload."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A PDF, JPG or PNG file of at most %(max)s MB: a scan or a clear photo of the whole document."
        ) % {"max": max_upload_megabytes()}
        self.checked: CheckedUpload | None = None

    def clean_file(self) -> Any:
        """Refuse what ``check_upload`` refuses, as this field's error in the reader's language.

        The checked result gives the stored content's fingerprint (to recognise a file sent twice);
        ``add_vault_document`` checks the file again before storing it.
        """
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload, max_bytes=settings.LAYANAN_UPLOAD_MAX_BYTES)
        return upload
