from django.urls import path

from layanan.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/", views.set_language, name="set-language"),
    path("tampilan/", views.set_display, name="set-display"),
    path("aksesibilitas/", views.accessibility, name="accessibility"),
    path("privasi/", views.privacy, name="privacy"),
]
