"""The API's documentation page: Ninja's Swagger UI, its files served from the installed package.

Ninja loads Swagger UI from a CDN unless "ninja" is an installed app; mains serves the
copy that ships inside the django-ninja package instead, so the page works offline.
"""

import json
import mimetypes
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
SERVED = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"}


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,  # no badge fetched from swagger.io
        }
        return render(
            request,
            "api/swagger.html",
            {"api": api, "swagger_settings": json.dumps(settings), "add_csrf": False},
        )


def asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in SERVED:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(open(ASSETS / name, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
