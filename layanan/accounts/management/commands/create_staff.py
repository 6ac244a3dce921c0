"""``layanan create_staff``: an operator creates a staff account from the console (audited).

Prints the path of the one-time link with which the new staff member chooses a password; when an
e-mail address is given the link is also sent there.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.accounts.actions import create_staff_member, password_set_path
from layanan.accounts.models import Agency, ServiceUnit
from layanan.accounts.roles import Role


class Command(BaseCommand):
    help = "Create a staff account with one role and print its one-time password-set link path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", default="", help="Agency slug (agency roles).")
        parser.add_argument("--unit", default="", help="Service unit slug (unit roles).")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = self._agency(options["agency"])
        unit = self._unit(options["unit"], agency)
        try:
            user = create_staff_member(
                actor=None,
                username=options["username"],
                full_name=options["full_name"],
                email=options["email"],
                role=options["role"],
                agency=agency,
                unit=unit,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created staff account {user.username} ({options['role']}).")
        self.stdout.write(f"One-time password-set link: {password_set_path(user)}")

    def _agency(self, slug: str) -> Agency | None:
        if not slug:
            return None
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            raise CommandError(f"No agency with slug {slug!r}.")
        return agency

    def _unit(self, slug: str, agency: Agency | None) -> ServiceUnit | None:
        if not slug:
            return None
        units = ServiceUnit.objects.filter(slug=slug)
        if agency is not None:
            units = units.filter(agency=agency)
        found = list(units[:2])
        if len(found) != 1:
            raise CommandError(
                f"No unit with slug {slug!r}."
                if not found
                else f"Several units are called {slug!r}; add --agency."
            )
        return found[0]
