"""Shared kernel: environment helpers, middleware, crypto, masking, base models, test helpers.

Owns no domain models. Imports nothing from other ``layanan`` apps.
"""
