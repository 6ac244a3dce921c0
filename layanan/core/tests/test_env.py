from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from layanan.core.env import env_bool, env_choice, env_int, env_keyring, env_list, env_secret, env_str

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(1, 33))).decode()
NAME = "LAYANAN_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(f"{NAME}_FILE", raising=False)


def test_env_str(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_str(NAME, "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME)

    monkeypatch.setenv(NAME, "value")
    assert env_str(NAME) == "value"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("0", False), ("False", False), ("", False)],
)
def test_env_bool_accepts_the_usual_spellings(
    raw: str, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NAME, raw)

    assert env_bool(NAME, not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_bool(NAME, True) is True

    monkeypatch.setenv(NAME, "maybe")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='maybe' is not a boolean"):
        env_bool(NAME, False)


def test_env_int(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_int(NAME, 7) == 7
    monkeypatch.setenv(NAME, " ")
    assert env_int(NAME, 7) == 7
    monkeypatch.setenv(NAME, "42")
    assert env_int(NAME, 7) == 42

    monkeypatch.setenv(NAME, "forty-two")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='forty-two' is not an integer"):
        env_int(NAME, 7)


def test_env_list(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_list(NAME, ["a"]) == ["a"]

    monkeypatch.setenv(NAME, " layanan.example.id, ,127.0.0.1 ")
    assert env_list(NAME, []) == ["layanan.example.id", "127.0.0.1"]


def test_env_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_choice(NAME, "console", ("console", "file")) == "console"

    monkeypatch.setenv(NAME, "smtp")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='smtp' must be one of: console, file"):
        env_choice(NAME, "console", ("console", "file"))


def test_env_secret_reads_the_variable_then_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret_file))
    assert env_secret(NAME, fallback_file=None) == "from-file"

    monkeypatch.setenv(NAME, "from-variable")
    assert env_secret(NAME, fallback_file=None) == "from-variable"


@pytest.mark.parametrize("content", [None, "  \n"])
def test_env_secret_refuses_a_missing_or_empty_file(
    content: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    if content is not None:
        secret_file.write_text(content)
    monkeypatch.setenv(f"{NAME}_FILE", str(secret_file))

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}_FILE="):
        env_secret(NAME, fallback_file=tmp_path / "fallback")


def test_env_secret_is_required_without_a_fallback() -> None:
    with pytest.raises(ImproperlyConfigured, match=rf"{NAME} \(or {NAME}_FILE\) is required"):
        env_secret(NAME, fallback_file=None)


def test_env_secret_generates_a_private_file_once(tmp_path: Path) -> None:
    fallback = tmp_path / "var" / "secret_key"

    first = env_secret(NAME, fallback_file=fallback)
    second = env_secret(NAME, fallback_file=fallback)

    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert sorted(path.name for path in fallback.parent.iterdir()) == ["secret_key"]


def test_env_secret_refuses_an_empty_generated_file(tmp_path: Path) -> None:
    fallback = tmp_path / "secret_key"
    fallback.write_text("")

    with pytest.raises(ImproperlyConfigured, match="is empty; delete it"):
        env_secret(NAME, fallback_file=fallback)


def test_env_keyring_generates_a_valid_private_key_file(tmp_path: Path) -> None:
    fallback = tmp_path / "field_keys"

    ring = env_keyring(NAME, fallback_file=fallback)

    key_id, _, encoded = ring.partition(":")
    assert key_id == "k1"
    assert len(base64.urlsafe_b64decode(encoded)) == 32
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert env_keyring(NAME, fallback_file=fallback) == ring


def test_env_keyring_accepts_a_rotated_ring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, f"k2:{OTHER_KEY}, k1:{KEY}")

    assert env_keyring(NAME, fallback_file=None) == f"k2:{OTHER_KEY}, k1:{KEY}"


def test_env_keyring_is_required_without_a_fallback() -> None:
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} is required"):
        env_keyring(NAME, fallback_file=None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (f":{KEY}", "each entry must be 'id:'"),
        (KEY, "each entry must be 'id:'"),
        (f"k$1:{KEY}", "each entry must be 'id:'"),
        (f"k1:{KEY},", "each entry must be 'id:'"),
        ("k1:not base64!", "key 'k1' is not base64"),
        (f"k1:{KEY}!!", "key 'k1' is not base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "key 'k1' must be 32 bytes, not 5"),
        (f"k1:{KEY},k1:{OTHER_KEY}", "key id 'k1' appears twice"),
    ],
)
def test_env_keyring_refuses_malformed_entries(
    value: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NAME, value)

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}: .*{message}") as raised:
        env_keyring(NAME, fallback_file=None)

    assert KEY not in str(raised.value)
