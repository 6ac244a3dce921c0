from typing import Any

from django.core.management.base import BaseCommand, CommandError

from layanan.audit.queries import verify_audit_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exit non-zero at the first tampered or missing event."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = verify_audit_chain()
        if problem is not None:
            raise CommandError(f"Audit log NOT intact after {checked} good events: {problem}")
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} events verified."))
