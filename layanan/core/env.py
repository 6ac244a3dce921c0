"""Typed helpers that read the environment and fail loudly on bad values.

Every environment read of the project goes through these helpers, called only from
``layanan/settings.py``. A value that cannot be parsed raises ``ImproperlyConfigured``
naming the variable, so a misconfigured deployment stops at start-up instead of
misbehaving later.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from error


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_secret(name: str, *, fallback_file: Path | None, length: int = 50) -> str:
    """Read a secret from ``NAME``, ``NAME_FILE``, or (embedded mode only) a generated file.

    ``fallback_file`` is used only when neither variable is set: the secret is generated once
    with :mod:`secrets` and kept in that file (mode 0600), so the embedded default needs no setup
    and restarts keep sessions valid. Pass ``fallback_file=None`` in production to make the
    variable required.
    """
    value = os.environ.get(name)
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {error}") from error
    if fallback_file is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) is required when LAYANAN_ENV=production.")
    if fallback_file.exists():
        return fallback_file.read_text().strip()
    import secrets

    fallback_file.parent.mkdir(parents=True, exist_ok=True)
    generated = secrets.token_urlsafe(length)
    fallback_file.touch(mode=0o600)
    fallback_file.write_text(generated)
    return generated


def env_keyring(name: str, *, fallback_file: Path | None) -> str:
    """Read a 32-byte key ring ``"id:base64,id:base64,..."`` (newest first).

    In the embedded default a first key ``k1`` is generated into ``fallback_file`` and reused.
    Every entry is checked here, so a malformed key stops start-up.
    """
    import base64
    import secrets

    value = os.environ.get(name)
    if not value:
        if fallback_file is None:
            raise ImproperlyConfigured(f"{name} is required when LAYANAN_ENV=production.")
        if not fallback_file.exists():
            fallback_file.parent.mkdir(parents=True, exist_ok=True)
            fallback_file.touch(mode=0o600)
            key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            fallback_file.write_text(f"k1:{key}")
        value = fallback_file.read_text().strip()
    for entry in value.split(","):
        key_id, _, encoded = entry.strip().partition(":")
        try:
            raw = base64.urlsafe_b64decode(encoded.encode())
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: key {key_id!r} is not base64.") from error
        if not key_id or len(raw) != 32:
            raise ImproperlyConfigured(f"{name}: each entry must be 'id:' followed by 32 base64 bytes.")
    return value
