from datetime import date

from django.urls import URLPattern, URLResolver, path, register_converter

from layanan.workdays.views import public, staff

app_name = "workdays"


class IsoDateConverter:
    """``2026-03-20`` in a path; an impossible date (``2026-02-30``) is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


register_converter(IsoDateConverter, "workdays_date")

urlpatterns: list[URLPattern | URLResolver] = [
    path("hari-libur/", public.public_holidays, name="public-holidays"),
    path("petugas/kalender/", staff.holiday_list, name="holiday-list"),
    path("petugas/kalender/tambah/", staff.holiday_add, name="holiday-add"),
    path(
        "petugas/kalender/<workdays_date:on>/<slug:kind>/<slug:name>/hapus/",
        staff.holiday_remove,
        name="holiday-remove",
    ),
    path("petugas/penutupan/", staff.closure_list, name="closure-list"),
    path("petugas/penutupan/tambah/", staff.closure_add, name="closure-add"),
    path(
        "petugas/penutupan/<slug:agency>/<slug:unit>/<workdays_date:on>/hapus/",
        staff.closure_remove,
        name="closure-remove",
    ),
]
