"""Delivery channels. Each is one small class; the SMS and WhatsApp gateways are the system's edge.

E-mail goes through Django's e-mail backend (``EMAIL_BACKEND``). SMS goes through the backend
named by ``settings.LAYANAN_SMS_BACKEND``, WhatsApp through ``settings.LAYANAN_WHATSAPP_BACKEND``;
both take the same values:

* ``"console"`` (development default): prints the message to standard output;
* ``"file"``: appends it to ``messages.log`` in ``LAYANAN_SMS_FILE_PATH`` or
  ``LAYANAN_WHATSAPP_FILE_PATH`` (tests, demos);
* a dotted path such as ``"gateway_sms.backends.ZenzivaBackend"``: a production gateway.

A production gateway is any class that can be built without arguments and has
``send(*, address: str, subject: str, body: str) -> None`` (``address`` is the phone number in
``+62…`` form, ``subject`` may be ignored by SMS and WhatsApp). It reads its own credentials from
settings, raises any exception when the gateway refuses or cannot be reached (the notification is
then marked failed and retried by ``layanan send_pending_notifications``), and never logs the
address or the body. Ship it as a separate package, install it beside Layanan, and name it in
``SMS_BACKEND`` or ``WHATSAPP_BACKEND``. The system check ``notifications.E001`` stops start-up if
the SMS path does not import or the class has no ``send``. See ``docs/notifications.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol, cast

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

BUILT_IN_SMS_BACKENDS = ("console", "file")
BUILT_IN_WHATSAPP_BACKENDS = ("console", "file")


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
        _append(Path(settings.LAYANAN_SMS_FILE_PATH), address, body)


class ConsoleWhatsAppBackend:
    """Development only: the message, tracking codes included, goes to standard output."""

    def send(self, *, address: str, subject: str, body: str) -> None:
        sys.stdout.write(f"[WhatsApp to {address}] {body}\n")
        sys.stdout.flush()


class FileWhatsAppBackend:
    def send(self, *, address: str, subject: str, body: str) -> None:
        _append(Path(settings.LAYANAN_WHATSAPP_FILE_PATH), address, body)


def _append(folder: Path, address: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.log").open("a", encoding="utf-8") as log:
        log.write(f"{address}\t{body}\n")


def _backend_class(kind: str, name: str, built_in: dict[str, type[Channel]]) -> type[Channel]:
    if name in built_in:
        return built_in[name]
    if "." not in name:
        raise ImportError(f"unknown {kind} backend {name!r}: use 'console', 'file' or a dotted path")
    backend = import_string(name)
    if not isinstance(backend, type) or not callable(getattr(backend, "send", None)):
        raise ImportError(f"{kind} backend {name!r} is not a class with a send() method")
    return cast(type[Channel], backend)


def sms_backend_class(name: str) -> type[Channel]:
    """The SMS backend class for a ``LAYANAN_SMS_BACKEND`` value (``ImportError`` if unknown)."""
    return _backend_class("SMS", name, {"console": ConsoleSmsBackend, "file": FileSmsBackend})


def whatsapp_backend_class(name: str) -> type[Channel]:
    """The WhatsApp backend class for a ``LAYANAN_WHATSAPP_BACKEND`` value (``ImportError`` if unknown)."""
    return _backend_class("WhatsApp", name, {"console": ConsoleWhatsAppBackend, "file": FileWhatsAppBackend})


def channel_for(kind: str) -> Channel:
    if kind == "email":
        return EmailChannel()
    if kind == "sms":
        return sms_backend_class(settings.LAYANAN_SMS_BACKEND)()
    if kind == "whatsapp":
        return whatsapp_backend_class(settings.LAYANAN_WHATSAPP_BACKEND)()
    raise ValueError(f"unknown channel {kind!r}")
