from django.urls import path

from layanan.catalog.views import public

urlpatterns = [
    path("layanan/", public.service_list, name="service-list"),
    path("layanan/<slug:slug>/", public.service_detail, name="service-detail"),
]
