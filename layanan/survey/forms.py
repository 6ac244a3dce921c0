"""Forms of the satisfaction survey. Shape only: the actions check every value again."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from layanan.catalog.models import Service
from layanan.survey.elements import ELEMENTS
from layanan.survey.models import FollowUpAction, SurveyResponse, Weighting

_NONCE_SALT = "layanan.survey.unit-link"
NONCE_MAX_AGE = 24 * 3600


def new_form_nonce() -> str:
    """A signed single-use id for a general-link form (refused when sent twice or after a day)."""
    return signing.TimestampSigner(salt=_NONCE_SALT).sign(secrets.token_urlsafe(18))


def checked_form_nonce(value: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=_NONCE_SALT).unsign(value, max_age=NONCE_MAX_AGE)
    except signing.BadSignature:
        return None


def _optional_choice(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


class QuestionnaireForm(forms.Form):
    """The nine questions, the optional respondent profile and the suggestion."""

    sex = _optional_choice(_("Sex"), SurveyResponse.Sex.choices)
    age_band = _optional_choice(_("Age"), SurveyResponse.AgeBand.choices)
    education = _optional_choice(_("Highest education"), SurveyResponse.Education.choices)
    occupation = _optional_choice(_("Main occupation"), SurveyResponse.Occupation.choices)
    suggestion = forms.CharField(
        label=_("Criticism and suggestions (optional)"),
        help_text=_("Do not write your name, NIK or phone number: the unit may publish what you write."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write at most 2,000 characters.")},
    )

    def __init__(self, *args: Any, services: list[Service] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions: dict[str, forms.Field] = {}
        for element in ELEMENTS:
            questions[element.key] = forms.ChoiceField(
                label=f"{element.code[1:]}. {element.question}",
                help_text=str(element.name),
                choices=[(str(value), label) for value, label in enumerate(element.answers, start=1)],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the four answers.")},
            )
        if services:
            questions["service"] = forms.ChoiceField(
                label=_("Which service did you use?"),
                choices=[("", _("I would rather not say"))] + [(str(s.pk), s.name) for s in services],
                required=False,
                error_messages={"invalid_choice": _("Choose a service from the list.")},
            )
        # Questions first, then the profile and the suggestion.
        self.fields = {**questions, **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(element.key) for element in ELEMENTS):
            raise forms.ValidationError(_("Answer at least one question."), code="no_answers")
        return cleaned

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[element.key] for element in ELEMENTS]

    @property
    def profile_fields(self) -> list[forms.BoundField]:
        return [self["sex"], self["age_band"], self["education"], self["occupation"]]

    def answers(self) -> dict[str, Any]:
        return {element.key: self.cleaned_data.get(element.key) or None for element in ELEMENTS}

    def profile(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name) or "" for name in ("sex", "age_band", "education", "occupation")
        }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Survey code"),
        help_text=_("The eight characters the officer gave you, for example ABCD-EFGH."),
        max_length=24,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the survey code.")},
    )


class IssueCodeForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service the person received"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Not one service in particular"),
        error_messages={"invalid_choice": _("Choose a service from the list.")},
    )

    def __init__(self, *args: Any, unit_services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = unit_services  # type: ignore[attr-defined]


class ReportSettingsForm(forms.Form):
    weighting = forms.ChoiceField(
        label=_("Weighting of the elements"), choices=Weighting.choices, widget=forms.RadioSelect
    )
    offline_population = forms.IntegerField(
        label=_("Service users outside the platform in this period"),
        help_text=_(
            "People served on paper or through services not on Layanan. They are added to the "
            "transactions the platform counted to give the population of the sample."
        ),
        min_value=0,
        max_value=100_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter a whole number, 0 if there were none."),
            "invalid": _("Enter a whole number, 0 if there were none."),
            "min_value": _("Enter a whole number, 0 if there were none."),
            "max_value": _("Enter a whole number, 0 if there were none."),
        },
    )
    method_note = forms.CharField(
        label=_("How the survey was run (optional)"),
        help_text=_("For example: online after each application, and a tablet at the counter."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _element_choices() -> list[tuple[str, Any]]:
    return [("", _("The service as a whole"))] + [(element.key, element.name) for element in ELEMENTS]


class FollowUpForm(forms.Form):
    element = forms.ChoiceField(label=_("Element"), choices=_element_choices, required=False)
    action = forms.CharField(
        label=_("Action"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the action.")},
    )
    owner = forms.CharField(
        label=_("Responsible"),
        help_text=_("A position, for example Head of the service section."),
        max_length=120,
        error_messages={"required": _("Name who is responsible.")},
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the due date."), "invalid": _("Enter a real date.")},
    )

    def clean_due_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["due_on"]
        return value


class FollowUpProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpAction.Status.choices)
    progress_note = forms.CharField(
        label=_("Progress"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish in this wording")), ("hide", _("Do not publish"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to publish the suggestion.")},
    )
    wording = forms.CharField(
        label=_("Wording to publish"),
        help_text=_("Take out anything that names or identifies a person."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
