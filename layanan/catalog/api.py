"""Public catalog API (django-ninja), mounted at /api/v1/ by layanan/api.py."""

from ninja import Router

router = Router(tags=["catalog"])
