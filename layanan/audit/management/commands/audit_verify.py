from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from layanan.audit.queries import check_anchors, stream_heads, verify_audit_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chains; exit non-zero at the first tampered or missing event. "
        "--heads prints the stream heads to keep outside the database; --anchors FILE checks heads "
        "kept earlier are still in the log unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--heads", action="store_true", help="After verifying, print each stream's head (an anchor)."
        )
        parser.add_argument(
            "--anchors",
            type=Path,
            help="A file of earlier --heads output (lines 'stream sequence hash') to check against.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # With --heads the whole output can be saved as the next anchors file: status lines are comments.
        comment = "# " if options["heads"] else ""
        checked, problem = verify_audit_chain()
        if problem is not None:
            raise CommandError(f"Audit log NOT intact after {checked} good events: {problem}")
        if options["anchors"] is not None:
            anchors = _read_anchors(options["anchors"])
            anchor_problem = check_anchors(anchors)
            if anchor_problem is not None:
                raise CommandError(f"Audit log does NOT match its anchors: {anchor_problem}")
            self.stdout.write(f"{comment}{len(anchors)} anchors match.")
        self.stdout.write(self.style.SUCCESS(f"{comment}Audit log intact: {checked} events verified."))
        if options["heads"]:
            self.stdout.write(f"# audit stream heads at {timezone.now().isoformat()}")
            for head in stream_heads():
                self.stdout.write(f"{head.number} {head.last_sequence} {head.last_hash}")


def _read_anchors(path: Path) -> list[tuple[int, int, str]]:
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    anchors = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(parts[2]) != 64:
            raise CommandError(f"{path}:{number}: expected 'stream sequence hash', got {line!r}")
        anchors.append((int(parts[0]), int(parts[1]), parts[2]))
    return anchors
