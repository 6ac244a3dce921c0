"""The published components of a service standard (*standar pelayanan*) as validated data.

UU 25/2009 Pasal 21 names 14 components; Permen PANRB 15/2014 splits them into 6 published
(*service delivery*) and 8 internal (*manufacturing*) ones. The 6 published ones are structured
data here, validated by these pydantic models wherever they enter the system (staff forms,
``import_catalog``, the API), and stored as JSON on ``ServiceStandard``:

1. requirements (*persyaratan*): typed documents or data items, original or copy, issuer, and an
   optional condition ("only if ..."); the ``document_type`` key is what application forms and
   the citizen's document vault will match on;
2. procedure (*sistem, mekanisme dan prosedur*): ordered steps, each done by one actor;
3. completion time (*jangka waktu penyelesaian*): a number with a unit, and whether the clock starts
   only once the application is complete;
4. fee (*biaya/tarif*): free, or one or more amounts, each with what it pays for and its legal basis
   (never a bare number);
5. products (*produk pelayanan*): the output documents;
6. complaint channels (*penanganan pengaduan, saran dan masukan*).

The 8 internal components are plain text fields of ``ServiceStandard``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from layanan.core.documenttypes import DOCUMENT_TYPE_LABELS as DOCUMENT_TYPE_LABELS
from layanan.core.documenttypes import DocumentType as DocumentType

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class DocumentForm(StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_AND_COPY = "original_and_copy"
    ELECTRONIC = "electronic"
    DATA_ONLY = "data_only"


DOCUMENT_FORM_LABELS: dict[str, Any] = {
    DocumentForm.ORIGINAL: _("original"),
    DocumentForm.COPY: _("copy"),
    DocumentForm.ORIGINAL_AND_COPY: _("original and copy"),
    DocumentForm.ELECTRONIC: _("electronic document"),
    DocumentForm.DATA_ONLY: _("data only (no document)"),
}


class StepActor(StrEnum):
    CITIZEN = "citizen"
    FRONT_OFFICE = "front_office"
    BACK_OFFICE = "back_office"
    UNIT_HEAD = "unit_head"
    SYSTEM = "system"
    OTHER_AGENCY = "other_agency"


STEP_ACTOR_LABELS: dict[str, Any] = {
    StepActor.CITIZEN: _("Applicant"),
    StepActor.FRONT_OFFICE: _("Front-office officer"),
    StepActor.BACK_OFFICE: _("Back-office officer"),
    StepActor.UNIT_HEAD: _("Unit head"),
    StepActor.SYSTEM: _("Information system"),
    StepActor.OTHER_AGENCY: _("Another agency"),
}


class TimeUnit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    WORKING_DAYS = "working_days"


class ComplaintChannelKind(StrEnum):
    IN_PERSON = "in_person"
    WEBSITE = "website"
    SP4N_LAPOR = "sp4n_lapor"
    EMAIL = "email"
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    LETTER = "letter"
    SUGGESTION_BOX = "suggestion_box"


COMPLAINT_CHANNEL_LABELS: dict[str, Any] = {
    ComplaintChannelKind.IN_PERSON: _("In person at the complaint desk"),
    ComplaintChannelKind.WEBSITE: _("This website"),
    ComplaintChannelKind.SP4N_LAPOR: _("SP4N-LAPOR! (lapor.go.id, SMS 1708)"),
    ComplaintChannelKind.EMAIL: _("E-mail"),
    ComplaintChannelKind.PHONE: _("Telephone"),
    ComplaintChannelKind.WHATSAPP: _("WhatsApp"),
    ComplaintChannelKind.LETTER: _("Letter"),
    ComplaintChannelKind.SUGGESTION_BOX: _("Suggestion box"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class Requirement(_Strict):
    document_type: DocumentType
    name: Text
    form: DocumentForm = DocumentForm.COPY
    issued_by: OptionalText = ""
    condition: OptionalText = Field("", description="Only needed if ... (empty: always needed).")
    note: OptionalText = ""


class ProcedureStep(_Strict):
    actor: StepActor
    description: Text


class CompletionTime(_Strict):
    value: int = Field(gt=0, le=10_000)
    unit: TimeUnit
    starts_when_complete: bool = Field(
        True, description="The clock starts when the application is complete (not at first receipt)."
    )


class FeeItem(_Strict):
    label: Text = Field(description="What the amount pays for, in words.")
    amount: int = Field(gt=0, description="Amount in rupiah.")
    legal_basis: Text = Field(description="The regulation that sets the amount (retribusi or PNBP).")


class Fee(_Strict):
    is_free: bool
    items: tuple[FeeItem, ...] = ()
    legal_basis: OptionalText = Field("", description="Why the service is free, or the general basis.")
    note: OptionalText = ""

    @model_validator(mode="after")
    def amounts_only_when_paid(self) -> Fee:
        if self.is_free and self.items:
            raise ValueError("a free service has no fee amounts")
        if not self.is_free and not self.items:
            raise ValueError("a paid service lists at least one amount with its legal basis")
        return self


class Product(_Strict):
    name: Text
    description: OptionalText = ""
    is_electronic: bool = False


class ComplaintChannel(_Strict):
    kind: ComplaintChannelKind
    detail: OptionalText = ""


class PublishedComponents(_Strict):
    """The 6 published components, all required to adopt a standard."""

    requirements: tuple[Requirement, ...] = Field(min_length=1)
    procedure: tuple[ProcedureStep, ...] = Field(min_length=1)
    completion_time: CompletionTime
    fee: Fee
    products: tuple[Product, ...] = Field(min_length=1)
    complaint_channels: tuple[ComplaintChannel, ...] = Field(min_length=1)

    @field_validator("procedure")
    @classmethod
    def procedure_has_distinct_steps(cls, steps: tuple[ProcedureStep, ...]) -> tuple[ProcedureStep, ...]:
        descriptions = [step.description.casefold() for step in steps]
        if len(set(descriptions)) != len(descriptions):
            raise ValueError("two procedure steps have the same description")
        return steps


INTERNAL_COMPONENTS: tuple[str, ...] = (
    "legal_basis",
    "facilities",
    "staff_competence",
    "internal_supervision",
    "staff_count",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
)
