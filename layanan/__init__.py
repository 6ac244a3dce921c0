"""Layanan: an open platform for Indonesian public services."""
