"""The greeter at the entrance hands out tickets (a priority one for someone who needs it)."""

from __future__ import annotations

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.audit.models import AuditEvent
from layanan.core.testing import verified_client
from layanan.queueing.models import Ticket
from layanan.queueing.tests.factories import group, site

pytestmark = pytest.mark.django_db


def test_the_operators_staff_give_a_priority_ticket(unit_a: ServiceUnit) -> None:
    mall = site(unit_a)
    line = group(mall, "A", unit=unit_a)
    greeter = staff_with_role(Role.FRONT_OFFICE, unit=unit_a)
    client = verified_client(greeter)
    url = f"/petugas/antrean/{mall.slug}/penyambut/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"group": str(line.pk), "need": "disabled", "form_id": "greeter-1"})

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("?cetak=1")
    assert (ticket.channel, ticket.need) == (Ticket.Channel.GREETER, "disabled")
    assert AuditEvent.objects.get(action="queueing.ticket_issued").actor_id == greeter.pk


def test_others_may_not_act_as_the_greeter(unit_a: ServiceUnit, unit_b: ServiceUnit, citizen: User) -> None:
    mall = site(unit_a)
    group(mall, "A", unit=unit_a)
    url = f"/petugas/antrean/{mall.slug}/penyambut/"
    outsider = verified_client(staff_with_role(Role.FRONT_OFFICE, unit=unit_b))
    assert outsider.get(url).status_code == 403
    citizen_client = verified_client(citizen)
    assert citizen_client.get(url).status_code == 403
    assert (
        verified_client(staff_with_role(Role.FRONT_OFFICE, unit=unit_a))
        .get("/petugas/antrean/tidak-ada/penyambut/")
        .status_code
        == 404
    )
