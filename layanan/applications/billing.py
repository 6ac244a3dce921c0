"""Fees: bills with a billing code through the payment provider, and signed payment notices."""

from __future__ import annotations

from typing import Any

from layanan.applications.models import Application, Bill


def open_bill(application: Application, *, actor: Any) -> Bill:
    raise NotImplementedError("billing is being built")  # pragma: no cover
