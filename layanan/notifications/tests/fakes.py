"""SMS gateways for tests, named in ``LAYANAN_SMS_BACKEND`` by dotted path like a real one."""

from __future__ import annotations


class RecordingSmsGateway:
    sent: list[tuple[str, str, str]] = []

    def send(self, *, address: str, subject: str, body: str) -> None:
        self.sent.append((address, subject, body))


class UnreachableSmsGateway:
    def send(self, *, address: str, subject: str, body: str) -> None:
        raise ConnectionError("gateway unreachable")


class NotAGateway:
    pass
