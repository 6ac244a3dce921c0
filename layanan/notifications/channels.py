"""Delivery channels. Each is one small class; the SMS gateway is the system's edge.

E-mail goes through Django's e-mail backend (``EMAIL_BACKEND``). SMS goes through the backend
named by ``settings.LAYANAN_SMS_BACKEND``:

* ``"console"`` (development default): prints the message to standard output;
* ``"file"``: appends it to ``<LAYANAN_SMS_FILE_PATH>/messages.log`` (tests, demos);
* a dotted path such as ``"gateway_sms.backends.ZenzivaBackend"``: a production gateway.

A production gateway is any class that can be built without arguments and has
``send(*, address: str, subject: str, body: str) -> None`` (``address`` is the phone number in
``+62…`` form, ``subject`` may be ignored by SMS). It reads its own credentials from settings,
raises any exception when the gateway refuses or cannot be reached (the notification is then
marked failed and retried by ``layanan send_pending_notifications``), and never logs the
address or the body. Ship it as a separate package, install it beside Layanan, and name it in
``SMS_BACKEND``. The system check ``notifications.E001`` stops start-up if the path does not
import or the class has no ``send``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol, cast

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

BUILT_IN_SMS_BACKENDS = ("console", "file")


class Channel(Protocol):
    def send(self, *, address: str, subject: str, body: str) -> None: ...


class EmailChannel:
    def send(self, *, address: str, subject: str, body: str) -> None:
        send_mail(subject, body, None, [address])


class ConsoleSmsBackend:
    """Development only: the message, one-time codes included, goes to standard output."""

    def send(self, *, address: str, subject: str, body: str) -> None:
        sys.stdout.write(f"[SMS to {address}] {body}\n")
        sys.stdout.flush()


class FileSmsBackend:
    def send(self, *, address: str, subject: str, body: str) -> None:
        folder = Path(settings.LAYANAN_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "messages.log").open("a", encoding="utf-8") as log:
            log.write(f"{address}\t{body}\n")


def sms_backend_class(name: str) -> type[Channel]:
    """The SMS backend class for a ``LAYANAN_SMS_BACKEND`` value (``ImportError`` if unknown)."""
    if name == "console":
        return ConsoleSmsBackend
    if name == "file":
        return FileSmsBackend
    if "." not in name:
        raise ImportError(f"unknown SMS backend {name!r}: use 'console', 'file' or a dotted path")
    backend = import_string(name)
    if not isinstance(backend, type) or not callable(getattr(backend, "send", None)):
        raise ImportError(f"SMS backend {name!r} is not a class with a send() method")
    return cast(type[Channel], backend)


def channel_for(kind: str) -> Channel:
    if kind == "email":
        return EmailChannel()
    if kind == "sms":
        return sms_backend_class(settings.LAYANAN_SMS_BACKEND)()
    raise ValueError(f"unknown channel {kind!r}")
