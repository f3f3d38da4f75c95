"""Every error of the API as JSON: {"error": code, "detail": message}.

4xx for the client's mistakes; 503 `database_unavailable` with Retry-After while the
database cannot be reached, 500 `server_error` with a logged error id for anything else
(mains/failures.py), never Django's HTML page.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mains.desk.errors import NotAllowed, OrderActionError, OrderConflict
from mains.failures import failure_response


class ApiError(Exception):
    """An answer other than success, raised from anywhere below an endpoint."""

    def __init__(self, status: int, code: str, detail: str, **extra):
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


def body(code: str, detail: str, **extra) -> dict:
    return {"error": code, "detail": detail, **extra}


def json_error(status: int, code: str, detail: str, **extra) -> JsonResponse:
    return JsonResponse(body(code, detail, **extra), status=status)


def status_of_action_error(exc: OrderActionError, state_allows: bool) -> int:
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, OrderConflict) or not state_allows:
        return 409
    return 422


def field_name(loc: list[str]) -> str:
    """The field as the client wrote it: readings.3.flow_m3h, not body.data.readings.3…

    Ninja prefixes where the value came from and, for a body, the endpoint's parameter."""
    if loc[:1] == ["body"]:
        return ".".join(loc[2:]) or "body"
    return ".".join(loc[1:]) or ".".join(loc)


def _readable(errors: list[dict]) -> list[dict]:
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        found.append({"loc": loc, "field": field_name(loc), "msg": str(error.get("msg", ""))})
    return found


def install_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, detail: str, **extra):
        return api.create_response(request, body(code, detail, **extra), status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.detail, **exc.extra)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _readable(exc.errors)
        first = errors[0] if errors else {"field": "body", "msg": ""}
        detail = _("Invalid input at %(where)s: %(why)s") % {
            "where": first["field"],
            "why": first["msg"],
        }
        fields: dict[str, list[str]] = {}
        for error in errors:
            fields.setdefault(error["field"], []).append(error["msg"])
        return respond(request, 422, "invalid", detail, fields=fields, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, 422, "invalid", " ".join(exc.messages))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            "unauthorized",
            _("Send a valid API token: “Authorization: Bearer <token>”."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "bad_request" if exc.status_code == 400 else f"http_{exc.status_code}"
        return respond(request, exc.status_code, code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("There is no such object, or not for you."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "forbidden", _("You may not do that."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return respond(
            request,
            413,
            "too_large",
            _("The request is larger than %(mb)d MB; send it in smaller parts.") % {"mb": limit_mb},
        )

    @api.exception_handler(OrderActionError)
    def refused(request: HttpRequest, exc: OrderActionError) -> HttpResponse:
        return respond(request, status_of_action_error(exc, True), exc.code, str(exc))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Also with DEBUG, where Ninja would answer a plain-text traceback.
        return failure_response(request, exc)


def not_found_view(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any address under /api/v1/ that names no endpoint."""
    return json_error(404, "not_found", _("There is no such endpoint."))


def json_method_refusals(view):
    """Ninja refuses an unsupported method with an empty 405; give it a JSON reason."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = json_error(
                405, "method_not_allowed", _("Use %(methods)s.") % {"methods": allowed}
            )
            response["Allow"] = allowed
        return response

    return wrapped


def with_json_refusals(urls: tuple) -> tuple:
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = json_method_refusals(pattern.callback)
    return patterns, app_name, namespace
