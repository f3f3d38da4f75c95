"""Open311 answers in JSON or XML, and its errors: a list of {code, description}."""

from datetime import datetime
from functools import wraps
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMATS = ("json", "xml")


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 with the time zone, e.g. 2026-11-21T14:30:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _fill(parent: ET.Element, value, item_name: str = "item") -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(parent, key), inner, _singular(key))
    elif isinstance(value, list):
        for inner in value:
            _fill(ET.SubElement(parent, item_name), inner)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = str(value)


def _singular(name: str) -> str:
    return {
        "attributes": "attribute",
        "values": "value",
        "endpoints": "endpoint",
        "formats": "format",
    }.get(name, "item")


def to_xml(root: str, item: str | None, data) -> bytes:
    """A list becomes <root><item>…</item>…</root>; an object becomes <root>…</root>."""
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for entry in data:
            _fill(ET.SubElement(element, item), entry)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(data, fmt: str, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, data), content_type="text/xml; charset=utf-8", status=status
        )
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def error(status: int, description: str, fmt: str = "json") -> HttpResponse:
    return respond([{"code": status, "description": description}], fmt, "errors", "error", status)


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def unknown_endpoint(request, rest: str = "") -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error(404, _("There is no such Open311 endpoint."), fmt)


def only(*methods: str):
    """Like require_http_methods, but the refusal is an Open311 error list."""

    def wrap(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in methods:
                fmt = kwargs.get("fmt", "json")
                response = error(405, _("Use %(methods)s.") % {"methods": ", ".join(methods)}, fmt)
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return checked

    return wrap


def token_view(request, token: str, fmt: str) -> HttpResponse:
    """mains answers POST requests with the request id at once, so no token is ever pending."""
    return error(404, _("mains returns service_request_id at once; there are no tokens."), fmt)
