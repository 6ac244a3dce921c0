"""``layanan revoke_api_token <username> <prefix>``: an operator stops an API token (audited).

The prefix is the first characters of the token that ``create_api_token`` printed (and that the
token's owner can read off their copy); with the username it names one token.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.accounts.actions.tokens import revoke_api_token
from layanan.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Revoke a user's API token, named by the first characters of the token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("prefix", help="The first 8 characters of the token, e.g. lay_AbCd.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = list(
            ApiToken.objects.filter(
                user__username=options["username"], prefix=options["prefix"][:8]
            ).order_by("pk")
        )
        if len(found) != 1:
            raise CommandError(
                f"{len(found)} tokens of {options['username']!r} start with {options['prefix'][:8]!r}: "
                "name exactly one."
            )
        token = revoke_api_token(found[0], actor=None)
        self.stdout.write(f"Revoked API token {token.prefix}… ({token.name}) of {options['username']}.")
