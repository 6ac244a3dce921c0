from django.urls import path

from layanan.catalog.views import public

# "peristiwa" and "instansi" come before the service slug: a service cannot use them as its slug.
urlpatterns = [
    path("layanan/", public.service_list, name="service-list"),
    path("layanan/peristiwa/<slug:key>/", public.life_event, name="life-event"),
    path("layanan/instansi/<slug:slug>/", public.agency_services, name="agency-services"),
    path("layanan/<slug:slug>/", public.service_detail, name="service-detail"),
    path("layanan/<slug:slug>/cetak/", public.service_print, name="service-print"),
]
