"""Delivery channels. Each is one small class; the SMS gateway is the system's edge.

The development SMS backends print to the console or append to ``var/sms/messages.log``; a
production gateway implements ``SmsBackend.send`` and is selected by ``SMS_BACKEND``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail


class Channel(Protocol):
    def send(self, *, address: str, subject: str, body: str) -> None: ...


class EmailChannel:
    def send(self, *, address: str, subject: str, body: str) -> None:
        send_mail(subject, body, None, [address])


class ConsoleSmsBackend:
    def send(self, *, address: str, subject: str, body: str) -> None:
        sys.stdout.write(f"[SMS to {address}] {body}\n")
        sys.stdout.flush()


class FileSmsBackend:
    def send(self, *, address: str, subject: str, body: str) -> None:
        folder = Path(settings.LAYANAN_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "messages.log").open("a", encoding="utf-8") as log:
            log.write(f"{address}\t{body}\n")


def channel_for(kind: str) -> Channel:
    if kind == "email":
        return EmailChannel()
    if kind == "sms":
        return FileSmsBackend() if settings.LAYANAN_SMS_BACKEND == "file" else ConsoleSmsBackend()
    raise ValueError(f"unknown channel {kind!r}")
