"""Verifiable output documents: PDF rendering, QR codes and signed stamps.

Pure library code (no models, not an installed app), used by the application workflow when it
issues an output document:

* :mod:`layanan.documents.signing` signs the document's key facts together with the SHA-256 of the
  rendered PDF (Ed25519 over canonical JSON, with key rotation) and verifies such stamps.
* :mod:`layanan.documents.pdf` renders HTML to PDF with WeasyPrint (imported lazily, so the
  platform starts without the pango system libraries), draws the verification QR code as inline
  SVG and builds the verification URL.

See ``docs/verifiable-documents.md``.
"""
