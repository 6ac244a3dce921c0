"""``layanan create_api_token <username> <name>``: an operator makes an API token (audited).

Prints the token once: only its digest is stored, so it cannot be shown again. Give it to the
owner of the machine client over a safe channel; they send it as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.accounts.actions.tokens import create_api_token
from layanan.accounts.models import User


class Command(BaseCommand):
    help = "Create an API token for a user and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. the system that will use it.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user with username {options['username']!r}.")
        try:
            api_token, token = create_api_token(user, name=options["name"], actor=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created API token {api_token.prefix}… ({api_token.name}) for {user.username}.")
        self.stdout.write("Copy it now: it is not stored and cannot be shown again.")
        self.stdout.write(token)
