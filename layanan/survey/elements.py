"""The nine elements (*unsur*) of the satisfaction survey, Permen PANRB 14/2017.

Elements are keyed by a stable key, never by position. ``ELEMENTS`` is in the order of the
regulation's model questionnaire (U1 … U9), which is also the order of the columns ``U1..U9`` in
the CSV files that ``layanan skm_score`` reads. The questions and answer labels are the model
questionnaire's; their Indonesian wording lives in this app's translation catalogue (the source
strings are English, like every string of the platform).

Answer values are 1–4, 4 the best. Element 4 (*biaya/tarif*) is worded the other way round: for a
free service the best answer is 4, *Gratis*.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ANSWER_VALUES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Element:
    key: str
    code: str  # U1 … U9, the questionnaire's numbering
    name: Promise  # the element (*unsur*) as the regulation names it
    question: Promise
    answers: tuple[Promise, Promise, Promise, Promise]  # labels for 1, 2, 3, 4

    def answer_label(self, value: int) -> Promise:
        return self.answers[value - 1]


ELEMENTS: tuple[Element, ...] = (
    Element(
        "persyaratan",
        "U1",
        _("Requirements"),
        _("What is your opinion of how well the service requirements fit the kind of service?"),
        (
            pgettext_lazy("skm answer", "Not suitable"),
            pgettext_lazy("skm answer", "Somewhat unsuitable"),
            pgettext_lazy("skm answer", "Suitable"),
            pgettext_lazy("skm answer", "Very suitable"),
        ),
    ),
    Element(
        "prosedur",
        "U2",
        _("Systems, mechanisms and procedures"),
        _("How easy did you find the service procedure at this unit?"),
        (
            pgettext_lazy("skm answer", "Not easy"),
            pgettext_lazy("skm answer", "Somewhat difficult"),
            pgettext_lazy("skm answer", "Easy"),
            pgettext_lazy("skm answer", "Very easy"),
        ),
    ),
    Element(
        "waktu",
        "U3",
        _("Completion time"),
        _("What is your opinion of the speed of the service?"),
        (
            pgettext_lazy("skm answer", "Not fast"),
            pgettext_lazy("skm answer", "Somewhat slow"),
            pgettext_lazy("skm answer", "Fast"),
            pgettext_lazy("skm answer", "Very fast"),
        ),
    ),
    Element(
        "biaya",
        "U4",
        _("Cost or fee"),
        _("What is your opinion of the fairness of the cost or fee of the service?"),
        (
            pgettext_lazy("skm answer", "Very expensive"),
            pgettext_lazy("skm answer", "Quite expensive"),
            pgettext_lazy("skm answer", "Cheap"),
            pgettext_lazy("skm answer", "Free of charge"),
        ),
    ),
    Element(
        "produk",
        "U5",
        _("Service products"),
        _(
            "What is your opinion of how well the product you received matches what the service "
            "standard promises?"
        ),
        (
            pgettext_lazy("skm answer", "Not suitable"),
            pgettext_lazy("skm answer", "Somewhat unsuitable"),
            pgettext_lazy("skm answer", "Suitable"),
            pgettext_lazy("skm answer", "Very suitable"),
        ),
    ),
    Element(
        "kompetensi",
        "U6",
        _("Competence of the staff"),
        _("What is your opinion of the competence or ability of the staff?"),
        (
            pgettext_lazy("skm answer", "Not competent"),
            pgettext_lazy("skm answer", "Somewhat incompetent"),
            pgettext_lazy("skm answer", "Competent"),
            pgettext_lazy("skm answer", "Very competent"),
        ),
    ),
    Element(
        "perilaku",
        "U7",
        _("Conduct of the staff"),
        _("What is your opinion of the politeness and friendliness of the staff?"),
        (
            pgettext_lazy("skm answer", "Not polite and friendly"),
            pgettext_lazy("skm answer", "Somewhat impolite and unfriendly"),
            pgettext_lazy("skm answer", "Polite and friendly"),
            pgettext_lazy("skm answer", "Very polite and friendly"),
        ),
    ),
    Element(
        "sarana",
        "U8",
        _("Facilities and infrastructure"),
        _("What is your opinion of the quality of the facilities and infrastructure?"),
        (
            pgettext_lazy("skm answer", "Poor"),
            pgettext_lazy("skm answer", "Adequate"),
            pgettext_lazy("skm answer", "Good"),
            pgettext_lazy("skm answer", "Very good"),
        ),
    ),
    Element(
        "pengaduan",
        "U9",
        _("Handling of complaints, suggestions and feedback"),
        _("What is your opinion of how complaints from service users are handled?"),
        (
            pgettext_lazy("skm answer", "There is none"),
            pgettext_lazy("skm answer", "It exists but does not work"),
            pgettext_lazy("skm answer", "It works, but not as well as it could"),
            pgettext_lazy("skm answer", "It is well managed"),
        ),
    ),
)

ELEMENT_KEYS: tuple[str, ...] = tuple(element.key for element in ELEMENTS)
BY_KEY: dict[str, Element] = {element.key: element for element in ELEMENTS}
BY_CODE: dict[str, Element] = {element.code: element for element in ELEMENTS}
