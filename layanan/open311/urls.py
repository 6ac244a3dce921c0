"""Open311 GeoReport v2 routes (mounted at ``/open311/v2/``).

Each resource exists as ``.json`` and ``.xml``: two routes with the same name, told apart by the
``fmt`` default (``reverse("open311:services", kwargs={"fmt": "xml"})``; without it, JSON).
"""

from django.urls import URLPattern, path, re_path

from layanan.open311.views import api, public

app_name = "open311"

_RESOURCES = [
    ("discovery", api.discovery, "discovery"),
    ("services", api.services, "services"),
    ("services/<slug:category>", api.service_definition, "service"),
    ("requests", api.service_requests, "requests"),
    ("requests/<str:complaint>", api.service_request, "request"),
    ("tokens/<str:token>", api.token, "token"),
]

urlpatterns: list[URLPattern] = [
    path("", public.index, name="index"),
    *(
        path(f"{route}.{fmt}", view, {"fmt": fmt}, name=name)
        # JSON last: ``reverse`` without ``fmt`` then picks it.
        for fmt in ("xml", "json")
        for route, view, name in _RESOURCES
    ),
    # Anything else ending in .json or .xml: a 404 in the Open311 error format.
    re_path(r"^.+\.json$", api.unknown_resource, {"fmt": "json"}),
    re_path(r"^.+\.xml$", api.unknown_resource, {"fmt": "xml"}),
]
