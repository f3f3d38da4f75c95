"""What a request answers when something fails that no view handled.

One place for every address: the API answers JSON (`{"error", "detail"}`), Open311 its own
error list in JSON or XML, the pages a short HTML page. When the database cannot be reached
(a restart, a failover, a full connection pool) the answer is 503 with `Retry-After`, so
clients retry instead of giving up; anything else is 500 with an error id that is logged
with the traceback. Installed as Django's `handler500` (mains/urls.py) and as the API's
handler of unexpected exceptions (mains/api/errors.py); neither touches the database.
"""

import logging
import sys
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mains.api.open311.render import error

log = logging.getLogger("mains.errors")

RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"


def database_is_down(exc: BaseException | None) -> bool:
    """OperationalError: the server is gone, refuses, or is locked; InterfaceError: the
    connection was closed under us. Both pass with time; other database errors are bugs."""
    return isinstance(exc, OperationalError | InterfaceError)


def failure_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse:
    down = database_is_down(exc)
    error_id = uuid.uuid4().hex[:12]
    if down:
        log.warning(
            "database unavailable [%s] %s %s: %s", error_id, request.method, request.path, exc
        )
    else:
        log.error(
            "unexpected error [%s] %s %s", error_id, request.method, request.path, exc_info=exc
        )
    path = request.path
    if path.startswith(API_PREFIX):
        response = _api(down, error_id)
    elif path.startswith(OPEN311_PREFIX):
        response = _open311(down, error_id, "xml" if path.endswith(".xml") else "json")
    else:
        response = _page(down, error_id)
    if down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _unavailable_text() -> str:
    return _("The database cannot be reached just now; try again in a few seconds.")


def _error_text(error_id: str) -> str:
    return _("Something went wrong on our side; it was logged as %(id)s.") % {"id": error_id}


def _api(down: bool, error_id: str) -> HttpResponse:
    if down:
        body = {"error": "database_unavailable", "detail": _unavailable_text()}
        return JsonResponse(body, status=503)
    body = {"error": "server_error", "detail": _error_text(error_id), "error_id": error_id}
    return JsonResponse(body, status=500)


def _open311(down: bool, error_id: str, fmt: str) -> HttpResponse:
    if down:
        return error(503, _unavailable_text(), fmt)
    return error(500, _error_text(error_id), fmt)


def _page(down: bool, error_id: str) -> HttpResponse:
    # Rendered without the request: the context processors would read the session and user.
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "HOTLINE_NUMBER": settings.HOTLINE_NUMBER,
        "error_id": error_id,
    }
    if down:
        return HttpResponse(render_to_string("503.html", context), status=503)
    return HttpResponse(render_to_string("500.html", context), status=500)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: called while the exception is being handled."""
    return failure_response(request, sys.exc_info()[1])
