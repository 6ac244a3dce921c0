from __future__ import annotations

import random
from typing import Any

import pytest

from layanan.core.references import (
    SECRET_LENGTH,
    TRACKING_ALPHABET,
    Reference,
    check_secret,
    damm_check_digit,
    damm_is_valid,
    make_reference,
    normalise_secret,
    parse_reference,
    secret_digest,
    tracking_secret,
)


def _sample_payloads() -> list[str]:
    rng = random.Random(20260401)
    payloads = [f"{year:04d}{seq:06d}" for year in (2025, 2026, 2099) for seq in (1, 9, 90, 123, 999999)]
    payloads += [f"{rng.randint(2000, 2099)}{rng.randint(1, 999_999):06d}" for _ in range(400)]
    payloads += [f"{rng.randint(2000, 2099)}{rng.randint(1_000_000, 99_999_999)}" for _ in range(50)]
    return payloads


PAYLOADS = _sample_payloads()


def test_known_damm_vectors() -> None:
    # Published example (Wikipedia, "Damm algorithm"): 572 -> check digit 4.
    assert damm_check_digit("572") == 4
    assert damm_is_valid("5724")
    assert not damm_is_valid("5723")


def test_make_reference_format() -> None:
    assert make_reference("PBG", 2026, 123) == "PBG-2026-000123-8"
    assert make_reference("KTP", 2026, 1_234_567).startswith("KTP-2026-1234567-")


def test_every_single_digit_substitution_is_detected() -> None:
    checked = 0
    for payload in PAYLOADS:
        full = payload + str(damm_check_digit(payload))
        assert damm_is_valid(full)
        for position, original in enumerate(full):
            for replacement in "0123456789":
                if replacement == original:
                    continue
                mutated = full[:position] + replacement + full[position + 1 :]
                assert not damm_is_valid(mutated), (full, mutated)
                checked += 1
    assert checked > 40_000


def test_every_adjacent_transposition_is_detected() -> None:
    checked = 0
    for payload in PAYLOADS:
        full = payload + str(damm_check_digit(payload))
        for position in range(len(full) - 1):
            a, b = full[position], full[position + 1]
            if a == b:
                continue
            mutated = full[:position] + b + a + full[position + 2 :]
            assert not damm_is_valid(mutated), (full, mutated)
            checked += 1
    assert checked > 3_000


def test_mistyped_reference_text_is_rejected_by_parse() -> None:
    for payload in PAYLOADS[:60]:
        year, sequence = int(payload[:4]), int(payload[4:])
        text = make_reference("PBG", year, sequence)
        assert parse_reference(text) == Reference("PBG", year, sequence, int(text[-1]))
        digits_positions = [i for i, char in enumerate(text) if char.isdigit()]
        for position in digits_positions:
            for replacement in "0123456789":
                if replacement == text[position]:
                    continue
                mutated = text[:position] + replacement + text[position + 1 :]
                parsed = parse_reference(mutated)
                # A substitution may only "parse" if it produced another canonical spelling; it never does.
                assert parsed is None, (text, mutated)


@pytest.mark.parametrize(
    "typed",
    [
        "PBG-2026-000123-8",
        "pbg-2026-000123-8",
        "pbg 2026 000123 8",
        "PBG20260001238",
        "  Pbg 2026-000123 8 \n",
        "PBG\u20132026\u2013000123\u20138",
        "PBG 2026 000 123 8",
        "PBG--2026--000123--8",
    ],
)
def test_parse_tolerates_how_citizens_type(typed: str) -> None:
    assert parse_reference(typed) == Reference("PBG", 2026, 123, 8)
    assert str(parse_reference(typed)) == "PBG-2026-000123-8"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "PBG-2026-000123-7",  # wrong check digit
        "PBG-2026-000132-8",  # transposed sequence
        "PBG-2026-00123-8",  # sequence too short
        "PBG-2026-0000123-8",  # non-canonical leading zero
        "PBG-2026-000000-0",  # sequence zero
        "P-2026-000123-8",  # prefix too short
        "PBGABCD-2026-000123-8",  # prefix too long
        "PB1-2026-000123-8",
        "2026-000123-8",
        "PBG-26-000123-8",
        "PBG-2026-000123",
        "PBG-2026-000123-8-1",
        "PBG-\u0662\u0660\u0662\u0666-000123-8",  # non-ASCII digits
        "PBG-2026-000123-8" + " " * 100,
    ],
)
def test_parse_rejects_malformed(typed: str) -> None:
    assert parse_reference(typed) is None


def test_parse_rejects_non_string() -> None:
    assert parse_reference(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", ["", "P", "pbg", "PBGABCD", "PB1", "PB-G", "ÄBC", " PBG"])
def test_make_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        make_reference(prefix, 2026, 1)


@pytest.mark.parametrize(("year", "sequence"), [(999, 1), (10_000, 1), (2026, 0), (2026, -5), (True, 1)])
def test_make_rejects_bad_numbers(year: Any, sequence: Any) -> None:
    with pytest.raises(ValueError, match="year|sequence"):
        make_reference("PBG", year, sequence)


def test_round_trip_for_all_prefix_lengths() -> None:
    for prefix in ("AB", "ABC", "ABCD", "ABCDE", "ABCDEF"):
        text = make_reference(prefix, 2026, 42)
        parsed = parse_reference(text.lower().replace("-", " "))
        assert parsed is not None
        assert str(parsed) == text


def test_tracking_secret_shape_and_randomness() -> None:
    secrets_seen = {tracking_secret() for _ in range(500)}
    assert len(secrets_seen) == 500
    for secret in secrets_seen:
        assert len(secret) == SECRET_LENGTH
        assert set(secret) <= set(TRACKING_ALPHABET)
    assert not set("0O1IL") & set(TRACKING_ALPHABET)


def test_secret_digest_and_check(settings: Any) -> None:
    secret = tracking_secret()
    digest = secret_digest(secret)

    assert secret not in digest
    assert len(digest) == 64
    assert check_secret(secret, digest)
    assert check_secret(secret.lower(), digest)
    assert check_secret(f" {secret[:4]}-{secret[4:]} ", digest)
    assert normalise_secret(f"{secret[:4].lower()} {secret[4:]}") == secret

    other = secret[:-1] + ("2" if secret[-1] != "2" else "3")
    assert not check_secret(other, digest)
    assert not check_secret("", digest)
    assert not check_secret(secret, "")
    assert not check_secret(secret, digest[:-1])


def test_digest_depends_on_secret_key_and_survives_rotation(settings: Any) -> None:
    secret = "K7QM2XHD"
    settings.SECRET_KEY = "old-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    old_digest = secret_digest(secret)

    settings.SECRET_KEY = "new-key-" + "y" * 50
    assert secret_digest(secret) != old_digest
    assert not check_secret(secret, old_digest)

    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert check_secret(secret, old_digest)
    assert check_secret(secret, secret_digest(secret))
