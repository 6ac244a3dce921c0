"""Append-only audit log, chained by hash, and its oversight viewer (``/petugas/audit/``).

Owns ``AuditEvent`` and ``AuditStream``. Every state change of the platform calls
``layanan.audit.actions.record_event`` inside its own transaction. A sink: imports only
``layanan.core``; knows actors through ``settings.AUTH_USER_MODEL`` ids, never domain models.
"""
