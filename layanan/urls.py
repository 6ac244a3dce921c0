from django.contrib import admin
from django.urls import include, path

from layanan.api import api
from layanan.portal import views as portal_views

handler400 = "layanan.portal.views.error_400"
handler403 = "layanan.portal.views.error_403"
handler404 = "layanan.portal.views.error_404"
handler500 = "layanan.portal.views.error_500"

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("pengelola/", admin.site.urls),
    path("", include("layanan.portal.urls")),
    path("", include("layanan.accounts.urls")),
    path("", include("layanan.workdays.urls")),
    path("", include("layanan.audit.urls")),
    path("", include("layanan.catalog.urls")),
    path("", include("layanan.vault.urls")),
    path("", include("layanan.applications.urls")),
    path("", include("layanan.complaints.urls")),
    path("", include("layanan.survey.urls")),
    path("", include("layanan.queueing.urls")),
    path("open311/v2/", include("layanan.open311.urls")),
    path("", include("layanan.open311.urls_staff")),
]
