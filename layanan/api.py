"""The one NinjaAPI of the platform: each app adds its Router from its own ``api.py``.

OpenAPI document: ``/api/v1/openapi.json``; interactive docs: ``/api/v1/docs``.
"""

from ninja import NinjaAPI

from layanan.applications.api import router as applications_router
from layanan.catalog.api import router as catalog_router
from layanan.complaints.api import router as complaints_router
from layanan.complaints.api_routing import router as complaints_routing_router

api = NinjaAPI(
    title="Layanan API",
    version="1",
    description="Open API of the Layanan public-service platform.",
    urls_namespace="api-v1",
)
api.add_router("/", catalog_router)
api.add_router("/", applications_router)
api.add_router("/", complaints_routing_router)
api.add_router("/", complaints_router)
