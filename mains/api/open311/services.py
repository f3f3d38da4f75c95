"""Discovery, services (the public categories) and service definitions (their questions).

Internal categories (mains.desk.visibility) are not services: not listed, not defined, not
accepted; their codes answer like unknown ones.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from mains.api.open311.render import error, only, respond
from mains.desk.models import Category
from mains.desk.visibility import public_categories

CHANGESET = "2026-11-21T00:00:00+08:00"


def attributes_of(category: Category) -> list[dict]:
    """The questions asked for a category: where exactly, and since when."""
    if not category.needs_visit:
        return []
    return [
        {
            "variable": True,
            "code": "building",
            "datatype": "string",
            "required": True,
            "datatype_description": _("Building, unit and room, e.g. 3号楼2单元501"),
            "order": 1,
            "description": _("Where is the problem?"),
        },
        {
            "variable": True,
            "code": "since",
            "datatype": "datetime",
            "required": False,
            "datatype_description": _("ISO-8601 with a time zone, e.g. 2026-11-21T08:00:00+08:00"),
            "order": 2,
            "description": _("Since when?"),
        },
    ]


def service_of(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": bool(attributes_of(category)),
        "type": "realtime",
        "keywords": category.get_utility_display(),
        "group": category.utility,
    }


def public_category(code: str) -> Category | None:
    if "\x00" in code:
        return None
    return public_categories().filter(code=code).first()


@only("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = settings.PUBLIC_BASE_URL + reverse("api:open311_root")
    data = {
        "changeset": CHANGESET,
        "contact": _("Hotline %(number)s") % {"number": settings.HOTLINE_NUMBER},
        "key_service": _("API keys are issued by the utility (mains api_token create)."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(data, fmt, "discovery", None)


@only("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    found = public_categories().order_by("utility", "priority", "code")
    return respond([service_of(c) for c in found], fmt, "services", "service")


@only("GET")
def definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = public_category(code)
    if category is None:
        return error(404, _("There is no service “%(code)s”.") % {"code": code}, fmt)
    data = {"service_code": category.code, "attributes": attributes_of(category)}
    return respond(data, fmt, "service_definition", None)
