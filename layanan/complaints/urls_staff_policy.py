"""Complaint deadlines per region (platform administrators), under ``/petugas/pengaduan/``;
included by ``layanan.complaints.urls`` *before* ``urls_staff`` (whose ``<str:complaint>/`` would
otherwise take ``kebijakan/``). ``region`` is a province or regency code, or ``nasional``."""

from django.urls import URLPattern, URLResolver, path

from layanan.complaints.views import staff_policy

urlpatterns: list[URLPattern | URLResolver] = [
    path("petugas/pengaduan/kebijakan/", staff_policy.policies, name="staff-policies"),
    path("petugas/pengaduan/kebijakan/<str:region>/", staff_policy.policy_edit, name="staff-policy-edit"),
]
