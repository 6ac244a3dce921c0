"""A test-only page that shows every shared component of layanan/templates/components, so unit and
browser tests can check their markup, their translations and their accessibility in one place."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.utils.html import format_html

GALLERY_TEMPLATE = Path(__file__).with_name("component_gallery.html")


class ContactForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As written on your identity card.")
    channel = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("sms", "Text message (SMS)"), ("email", "E-mail")],
        widget=forms.RadioSelect,
        help_text="Choose one.",
    )
    documents = forms.MultipleChoiceField(
        label="Which documents do you have?",
        choices=[("ktp", "Identity card (KTP-el)"), ("kk", "Family card (KK)")],
        widget=forms.CheckboxSelectMultiple,
    )
    confirmed = forms.BooleanField(label="The details above are correct")


def component_gallery(request: HttpRequest) -> HttpResponse:
    """``?errors=1`` sends the form back empty, so every field shows its error."""
    form = ContactForm(data={} if "errors" in request.GET else None)
    if form.is_bound:
        form.is_valid()
    page_obj = Paginator(range(95), 10).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "summary_rows": [
            {"label": "Full name", "value": "Siti Rahmawati", "href": "#full_name"},
            {"label": "Phone", "value": "", "href": "#phone", "action": "Add"},
            {"label": "Status", "value": format_html('<strong class="tag tag-green">{}</strong>', "Done")},
        ],
        "table_headers": ["Reference", "Service", "Status"],
        "table_rows": [
            [
                {"text": "LYN-2025-000123", "href": "#ref-1"},
                "Birth certificate",
                {"text": "Waiting", "tag": "yellow"},
            ],
            [{"text": "LYN-2025-000124", "href": "#ref-2"}, "Family card", {"text": "Done", "tag": "green"}],
        ],
        "crumbs": [{"label": "Agencies", "href": "/instansi/"}],
    }
    html = Template(GALLERY_TEMPLATE.read_text()).render(RequestContext(request, context))
    return HttpResponse(html)
