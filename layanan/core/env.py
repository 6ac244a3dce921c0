"""Typed helpers that read the environment and fail loudly on bad values.

Every environment read of the project goes through these helpers, called only from
``layanan/settings.py``. A value that cannot be parsed raises ``ImproperlyConfigured``
naming the variable, so a misconfigured deployment stops at start-up instead of
misbehaving later.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")


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
            secret = Path(file_name).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {error}") from error
        if not secret:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} is empty.")
        return secret
    if fallback_file is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) is required when LAYANAN_ENV=production.")
    return _generated_file(name, fallback_file, lambda: secrets.token_urlsafe(length))


def env_keyring(name: str, *, fallback_file: Path | None) -> str:
    """Read a 32-byte key ring ``"id:base64,id:base64,..."`` (newest first).

    In the embedded default a first key ``k1`` is generated into ``fallback_file`` (mode 0600)
    and reused. Every entry is checked here (an id of letters, digits, ``_`` or ``-``, each id
    once, exactly 32 bytes of base64), so a malformed key stops start-up.
    """
    value = os.environ.get(name)
    if not value:
        if fallback_file is None:
            raise ImproperlyConfigured(f"{name} is required when LAYANAN_ENV=production.")
        value = _generated_file(
            name, fallback_file, lambda: f"k1:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"
        )
    seen: set[str] = set()
    for entry in value.split(","):
        key_id, _, encoded = entry.strip().partition(":")
        if not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"{name}: each entry must be 'id:' followed by 32 base64 bytes; "
                "the id uses letters, digits, '_' or '-'."
            )
        if key_id in seen:
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} appears twice.")
        seen.add(key_id)
        try:
            raw = base64.b64decode(encoded.strip().translate(_URLSAFE_TO_STANDARD), validate=True)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: key {key_id!r} is not base64.") from error
        if len(raw) != 32:
            raise ImproperlyConfigured(f"{name}: key {key_id!r} must be 32 bytes, not {len(raw)}.")
    return value


def _generated_file(name: str, path: Path, generate: Callable[[], str]) -> str:
    """The value kept in ``path``, generated on first use.

    The file is written under a temporary name with mode 0600 and then linked into place, so two
    processes starting at once agree on one value and nobody ever reads a half-written file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w") as file:
                file.write(generate())
            with contextlib.suppress(FileExistsError):  # another process won the race: use its value
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    try:
        value = path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{name}: {path} cannot be read: {error}") from error
    if not value:
        raise ImproperlyConfigured(f"{name}: {path} is empty; delete it to generate a new value.")
    return value
