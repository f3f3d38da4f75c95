from django.urls import path, re_path

from mains.api import docs, errors
from mains.api.open311 import render, requests, services
from mains.api.v1 import api

app_name = "api"
urlpatterns = [
    path("api/v1/docs/assets/<str:name>", docs.asset, name="docs_asset"),
    path("api/v1/", errors.with_json_refusals(api.urls)),
    re_path(r"^api/v1/(?P<rest>.*)$", errors.not_found_view, name="v1_not_found"),
    re_path(r"^open311/v2/$", services.discovery, {"fmt": "json"}, name="open311_root"),
    re_path(r"^open311/v2/discovery\.(?P<fmt>json|xml)$", services.discovery, name="discovery"),
    re_path(r"^open311/v2/services\.(?P<fmt>json|xml)$", services.services, name="services"),
    re_path(
        r"^open311/v2/services/(?P<code>[^/]{1,60})\.(?P<fmt>json|xml)$",
        services.definition,
        name="service_definition",
    ),
    re_path(r"^open311/v2/requests\.(?P<fmt>json|xml)$", requests.requests_view, name="requests"),
    re_path(
        r"^open311/v2/requests/(?P<number>[^/]{1,60})\.(?P<fmt>json|xml)$",
        requests.request_view,
        name="request",
    ),
    re_path(
        r"^open311/v2/tokens/(?P<token>[^/]{1,200})\.(?P<fmt>json|xml)$",
        render.token_view,
        name="token",
    ),
    re_path(r"^open311/v2/(?P<rest>.*)$", render.unknown_endpoint, name="open311_not_found"),
]
