from django.urls import path

from layanan.applications.views import tracking

urlpatterns = [
    path("lacak/", tracking.track, name="track"),
]
