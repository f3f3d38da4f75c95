"""The REST API at /api/v1/: one NinjaAPI with a router per subject."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from mains.api import areas, order_actions, orders, outages, telemetry
from mains.api.auth import TokenAuth
from mains.api.docs import LocalSwagger
from mains.api.errors import install_handlers

api = NinjaAPI(
    title="mains API",
    version="1",
    description=str(
        _(
            "Work orders and reference data of mains. Authenticate with "
            "“Authorization: Bearer <token>” "
            "(tokens: `mains api_token create USERNAME --name NAME`). "
            'Errors are JSON: {"error": code, "detail": message}.'
        )
    ),
    auth=TokenAuth(),
    urls_namespace="api:v1",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
api.add_router("", orders.router)
api.add_router("", order_actions.router)
api.add_router("", areas.router)
api.add_router("", outages.router)
api.add_router("", telemetry.router)
