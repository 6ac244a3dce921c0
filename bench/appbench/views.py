"""The anchors' two bare views, unchanged in what they do (``bare_django/complaints/views.py``):

* ``POST bench/bare-insert``: form-encoded, CSRF-exempt; a ModelForm validates, one INSERT, 201
  with the tracking number as JSON;
* ``GET bench/bare-select/<tracking number>``: one indexed SELECT, answered as JSON.

Here they run through Layanan's own middleware stack (sessions, CSRF, OTP, axes, CSP, language),
so the ceiling is the one Layanan's pages pay for too.
"""

import secrets

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from appbench.models import Complaint


class ComplaintForm(forms.ModelForm):
    ward = forms.IntegerField(required=False, min_value=0)
    channel = forms.CharField(required=False, max_length=20)

    class Meta:
        model = Complaint
        fields = ["title", "description", "category", "reporter_name", "reporter_phone", "reporter_email"]


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    obj = form.save(commit=False)
    obj.tracking_number = "W" + secrets.token_hex(8).upper()
    obj.extra = {"ward": form.cleaned_data.get("ward"), "channel": form.cleaned_data.get("channel") or "web"}
    obj.save()
    return JsonResponse({"tracking_number": obj.tracking_number}, status=201)


@require_GET
def bare_select(request: HttpRequest, tracking_number: str) -> HttpResponse:
    try:
        c = Complaint.objects.get(tracking_number=tracking_number)
    except Complaint.DoesNotExist as error:
        raise Http404 from error
    return JsonResponse(
        {
            "tracking_number": c.tracking_number,
            "title": c.title,
            "category": c.category,
            "status": c.status,
            "created_at": c.created_at.isoformat(),
            "updated_at": c.updated_at.isoformat(),
            "extra": c.extra,
        }
    )
