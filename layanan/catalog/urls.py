from django.urls import include, path

app_name = "catalog"

urlpatterns = [
    path("", include("layanan.catalog.urls_public")),
    path("", include("layanan.catalog.urls_staff")),
]
