from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]
KEY = "k1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="


def _import_settings(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    keep = ("PATH", "HOME", "LANG", "SYSTEMROOT")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update({"LAYANAN_VAR_DIR": str(tmp_path / "var"), **environment})
    return subprocess.run(  # noqa: S603 - fixed command, this interpreter
        [sys.executable, "-c", "import layanan.settings"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _import_settings(
        tmp_path, LAYANAN_ENV="production", LAYANAN_FIELD_KEYS=KEY, LAYANAN_BLIND_INDEX_KEY=KEY
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_refuses_to_start_without_field_keys(tmp_path: Path) -> None:
    result = _import_settings(tmp_path, LAYANAN_ENV="production", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "LAYANAN_FIELD_KEYS is required" in result.stderr


def test_production_starts_with_its_secrets(tmp_path: Path) -> None:
    result = _import_settings(
        tmp_path,
        LAYANAN_ENV="production",
        SECRET_KEY="x" * 50,
        LAYANAN_FIELD_KEYS=KEY,
        LAYANAN_BLIND_INDEX_KEY=KEY,
        LAYANAN_SIGNING_KEYS=KEY,
        LAYANAN_PAYMENT_SECRET=KEY,
    )

    assert result.returncode == 0, result.stderr


def test_development_generates_its_secrets(tmp_path: Path) -> None:
    result = _import_settings(tmp_path)

    assert result.returncode == 0, result.stderr
    assert {path.name for path in (tmp_path / "var").iterdir()} >= {
        "secret_key",
        "field_keys",
        "blind_index_key",
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEBUG", "perhaps"), ("EMAIL_PORT", "twenty-five"), ("LAYANAN_FIELD_KEYS", "k1:short")],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    result = _import_settings(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]
