"""The citizen's document vault (*once-only*): documents stored once, offered in every application.

Files pass ``layanan.core.uploads.check_upload`` and are stored encrypted (AES-256-GCM, the field
key ring) through Django's default storage, under a random name. May import ``core``, ``audit``
and ``accounts``.
"""
