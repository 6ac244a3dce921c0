from django.urls import include, path

app_name = "applications"

# One module per area, each owned by its views module (see docs/applications.md).
urlpatterns = [
    path("", include("layanan.applications.urls_citizen")),
    path("", include("layanan.applications.urls_staff")),
    path("", include("layanan.applications.urls_counter")),
    path("", include("layanan.applications.urls_tracking")),
    path("", include("layanan.applications.urls_payments")),
    path("", include("layanan.applications.urls_verification")),
]
