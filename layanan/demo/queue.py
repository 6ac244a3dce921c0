"""The demo queue of the MPP Banyumas: the hall run by the DPMPTSP's licensing unit, three lines
(A: population registration, B: business licensing, C: buildings), four counters. Idempotent:
created once, by slug; no tickets (they belong to a day: take one at the kiosk page)."""

from __future__ import annotations

from collections import Counter as Tally

from layanan.accounts.models import ServiceUnit
from layanan.catalog.models import Service
from layanan.queueing.models import Counter, ServiceGroup, Site, Zone

SITE = "mpp-banyumas"
OPERATOR = ("dpmptsp-banyumas", "perizinan-berusaha")
# prefix, name, agency, unit of the services, counters
LINES = (
    ("A", "Kependudukan (KTP-el, KK, KIA, pindah)", "disdukcapil-banyumas", "pendaftaran-penduduk", (1, 2)),
    ("B", "Perizinan berusaha dan nonperizinan", "dpmptsp-banyumas", "perizinan-berusaha", (3,)),
    ("C", "Bangunan gedung (PBG dan SLF)", "dinas-pupr-banyumas", "bangunan-gedung", (4,)),
)


def load_demo_queue() -> Tally[str]:
    created: Tally[str] = Tally()
    if Site.objects.filter(slug=SITE).exists():
        return created
    units = {
        (unit.agency.slug, unit.slug): unit
        for unit in ServiceUnit.objects.select_related("agency").filter(
            agency__slug__in={OPERATOR[0], *(line[2] for line in LINES)}
        )
    }
    operator = units.get(OPERATOR)
    if operator is None:
        return created
    site = Site.objects.create(
        slug=SITE,
        name="Mal Pelayanan Publik Kabupaten Banyumas",
        operator=operator,
        address="Jl. Jenderal Soedirman, Purwokerto",
    )
    hall = Zone.objects.create(site=site, slug="lantai-1", name="Lantai 1")
    created["queue site"] += 1
    for order, (prefix, name, agency_slug, unit_slug, numbers) in enumerate(LINES):
        unit = units.get((agency_slug, unit_slug))
        if unit is None:
            continue
        group = ServiceGroup.objects.create(
            site=site,
            prefix=prefix,
            name=name,
            agency=unit.agency,
            zone=hall,
            sort_order=order,
            booking_quota=4,  # four places per half hour can be booked online
        )
        group.services.set(Service.objects.filter(unit=unit))
        for number in numbers:
            desk = Counter.objects.create(site=site, zone=hall, number=number, agency=unit.agency)
            desk.groups.add(group)
            created["queue counter"] += 1
    return created
