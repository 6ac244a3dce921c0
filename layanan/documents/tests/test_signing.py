from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from layanan.documents.signing import (
    Ed25519Signer,
    KeyRingError,
    SignedStamp,
    Signer,
    Verdict,
    b64url_decode,
    b64url_encode,
    canonical_json,
    sha256_hex,
    sign_document,
    verify_pdf,
    verify_stamp,
)

SEED_OLD = base64.b64encode(bytes(range(32))).decode()
SEED_NEW = base64.b64encode(bytes(range(100, 132))).decode()
FACTS = {"reference": "PBG-2026-000123-7", "service": "Surat Keterangan Usaha", "issued_on": "2026-11-23"}
PDF = b"%PDF-1.7\n...document body...\n%%EOF\n"


@pytest.fixture
def signer() -> Ed25519Signer:
    return Ed25519Signer(f"k2025:{SEED_OLD}")


def test_canonical_json_sorted_compact_utf8() -> None:
    assert (
        canonical_json({"b": 1, "a": {"d": "é", "c": [1, 2]}}) == '{"a":{"c":[1,2],"d":"é"},"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [{1: "x"}, {"a": {2: "y"}}, {"a": float("nan")}])
def test_canonical_json_refuses_ambiguous_input(bad: dict[Any, Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical_json(bad)


def test_signer_satisfies_protocol(signer: Ed25519Signer) -> None:
    assert isinstance(signer, Signer)
    assert signer.key_id == "k2025"


def test_round_trip(signer: Ed25519Signer) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    assert stamp.key_id == "k2025"
    assert len(b64url_decode(stamp.signature)) == 64
    assert "=" not in stamp.signature
    assert stamp.payload.encode() == canonical_json(json.loads(stamp.payload))
    keys = signer.public_keys()
    assert verify_stamp(stamp, public_keys=keys) is Verdict.VALID
    assert verify_stamp(stamp, public_keys=keys, facts=FACTS, pdf_sha256=sha256_hex(PDF)) is Verdict.VALID
    assert verify_pdf(PDF, stamp, public_keys=keys) is Verdict.VALID
    assert (
        signer.verify(stamp.payload.encode(), b64url_decode(stamp.signature), key_id="k2025") is Verdict.VALID
    )


def test_tampered_payload_is_invalid(signer: Ed25519Signer) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    forged = dataclasses.replace(stamp, payload=stamp.payload.replace("Usaha", "Domisili"))
    assert verify_stamp(forged, public_keys=signer.public_keys()) is Verdict.INVALID


def test_changed_fact_is_invalid(signer: Ed25519Signer) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    changed = {**FACTS, "issued_on": "2026-11-24"}
    assert verify_stamp(stamp, public_keys=signer.public_keys(), facts=changed) is Verdict.INVALID
    assert verify_stamp(stamp, public_keys=signer.public_keys(), facts={**FACTS, "x": 1}) is Verdict.INVALID


def test_changed_hash_is_invalid(signer: Ed25519Signer) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    other = sha256_hex(PDF + b" ")
    assert verify_stamp(stamp, public_keys=signer.public_keys(), pdf_sha256=other) is Verdict.INVALID


def test_tampered_pdf_one_byte_is_invalid(signer: Ed25519Signer) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    tampered = bytearray(PDF)
    tampered[12] ^= 0x01
    assert sha256_hex(bytes(tampered)) != sha256_hex(PDF)
    assert verify_pdf(bytes(tampered), stamp, public_keys=signer.public_keys()) is Verdict.INVALID
    assert verify_pdf(PDF, stamp, public_keys=signer.public_keys()) is Verdict.VALID


@pytest.mark.parametrize(
    "mangle",
    [
        lambda sig: sig[:-2] + ("AA" if sig[-2:] != "AA" else "BA"),
        lambda sig: b64url_encode(bytes(64)),
        lambda sig: sig[:-4],
        lambda sig: sig + "A",
        lambda sig: "not base64url!",
        lambda sig: "",
    ],
)
def test_forged_signature_is_invalid(signer: Ed25519Signer, mangle: Callable[[str], str]) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    forged = dataclasses.replace(stamp, signature=mangle(stamp.signature))
    assert verify_stamp(forged, public_keys=signer.public_keys()) is Verdict.INVALID


def test_signature_by_another_key_under_a_known_id_is_invalid(signer: Ed25519Signer) -> None:
    attacker = Ed25519Signer(f"k2025:{SEED_NEW}")
    forged = sign_document(FACTS, sha256_hex(PDF), signer=attacker)
    assert verify_stamp(forged, public_keys=signer.public_keys()) is Verdict.INVALID


def test_unknown_key(signer: Ed25519Signer) -> None:
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=signer)
    other = Ed25519Signer(f"k2026:{SEED_NEW}")
    assert verify_stamp(stamp, public_keys=other.public_keys()) is Verdict.UNKNOWN_KEY
    assert other.verify(stamp.payload.encode(), b64url_decode(stamp.signature), key_id="k2025") is (
        Verdict.UNKNOWN_KEY
    )


def test_key_id_swapped_in_stamp_is_invalid() -> None:
    ring = Ed25519Signer(f"k2026:{SEED_NEW},k2025:{SEED_OLD}")
    stamp = sign_document(FACTS, sha256_hex(PDF), signer=ring)
    assert verify_stamp(dataclasses.replace(stamp, key_id="k2025"), public_keys=ring.public_keys()) is (
        Verdict.INVALID
    )


def test_non_canonical_or_malformed_payload_is_invalid(signer: Ed25519Signer) -> None:
    # Even a genuine signature over non-canonical bytes is refused (no second encoding of a stamp).
    payload = b'{"v": 1, "kid": "k2025", "pdf_sha256": "' + sha256_hex(PDF).encode() + b'", "facts": {}}'
    stamp = SignedStamp(
        key_id="k2025", signature=b64url_encode(signer.sign(payload)), payload=payload.decode()
    )
    assert verify_stamp(stamp, public_keys=signer.public_keys()) is Verdict.INVALID
    for bad in ["[1]", "not json", ""]:
        raw = bad.encode()
        stamp = SignedStamp(key_id="k2025", signature=b64url_encode(signer.sign(raw)), payload=bad)
        assert verify_stamp(stamp, public_keys=signer.public_keys()) is Verdict.INVALID


def test_key_rotation_keeps_old_documents_valid() -> None:
    old_ring = Ed25519Signer(f"k2025:{SEED_OLD}")
    old_stamp = sign_document(FACTS, sha256_hex(PDF), signer=old_ring)

    rotated = Ed25519Signer(f"k2026:{SEED_NEW},k2025:{SEED_OLD}")
    assert rotated.key_id == "k2026"
    assert set(rotated.public_keys()) == {"k2026", "k2025"}
    new_stamp = sign_document(FACTS, sha256_hex(PDF), signer=rotated)
    assert new_stamp.key_id == "k2026"

    keys = rotated.public_keys()
    assert verify_pdf(PDF, old_stamp, public_keys=keys) is Verdict.VALID
    assert verify_pdf(PDF, new_stamp, public_keys=keys) is Verdict.VALID
    # Once the old key is retired, its documents are reported as signed by an unknown key.
    assert verify_pdf(PDF, old_stamp, public_keys=Ed25519Signer(f"k2026:{SEED_NEW}").public_keys()) is (
        Verdict.UNKNOWN_KEY
    )


def test_public_keys_are_raw_32_bytes_and_repr_hides_seeds(signer: Ed25519Signer) -> None:
    (raw,) = signer.public_keys().values()
    assert len(raw) == 32
    assert SEED_OLD not in repr(signer)


@pytest.mark.parametrize(
    "ring",
    [
        "",
        " , ",
        "nokeyid",
        f"bad id:{SEED_OLD}",
        "k1:not-base64!!",
        f"k1:{base64.b64encode(bytes(31)).decode()}",
        f"k1:{SEED_OLD},k1:{SEED_NEW}",
    ],
)
def test_malformed_key_ring_is_refused_without_leaking(ring: str) -> None:
    with pytest.raises(KeyRingError) as excinfo:
        Ed25519Signer(ring)
    assert SEED_OLD not in str(excinfo.value)
    assert SEED_NEW not in str(excinfo.value)


def test_generated_entry_is_usable() -> None:
    entry = Ed25519Signer.generate_entry("k2027")
    ring = Ed25519Signer(f"{entry},k2025:{SEED_OLD}")
    assert ring.key_id == "k2027"
    with pytest.raises(KeyRingError):
        Ed25519Signer.generate_entry("bad id")


@pytest.mark.parametrize("bad_hash", ["", "abc", "G" * 64, sha256_hex(PDF).upper()])
def test_sign_document_requires_a_sha256_hex(signer: Ed25519Signer, bad_hash: str) -> None:
    with pytest.raises(ValueError, match="pdf_sha256"):
        sign_document(FACTS, bad_hash, signer=signer)
