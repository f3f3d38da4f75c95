"""Issue 10, item 16: the OpenAPI schema says what the server enforces, so a client that
validates against it is never surprised by a 422: NUL characters, blank texts, the years
2000–2100 and each action's required fields are in the schema. (tests/api/test_schema_fuzz.py
adds schemathesis's check that schema-valid data is accepted.)

Patterns are checked with jsonschema_rs, a validator of the kind clients use, against the
server's own validators on the same strings."""

import json
import sys
from datetime import datetime

import jsonschema_rs
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from pydantic import TypeAdapter, ValidationError

from mains.api.action_schemas import SCHEMA_OF_FORM
from mains.api.schemas import Moment, Required, Text
from mains.desk.action_forms import ACTIONS

from .conftest import EVERY_FIELD


@pytest.fixture(scope="module")
def schema():
    """The schema /api/v1/openapi.json serves, made once for the module."""
    from mains.api.v1 import api

    made = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.loads(json.dumps(made, cls=DjangoJSONEncoder))


def component(schema, name: str) -> dict:
    return schema["components"]["schemas"][name]


def schema_accepts(field_schema: dict, value) -> bool:
    return jsonschema_rs.validator_for(field_schema).is_valid(value)


def server_accepts(kind, value) -> bool:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


BLANKS = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
TEXTS = ["", "a", " a ", "漏水", "a\x00", "\x00", "\ufeff", "\u200b", *BLANKS, "".join(BLANKS)]
TEXTS += [blank + "x" + blank for blank in BLANKS] + ["x\x00" + blank for blank in BLANKS]


def test_the_schema_and_the_server_agree_on_blank_and_nul_texts(schema):
    description = component(schema, "OrderIn")["properties"]["description"]
    name = component(schema, "OrderIn")["properties"]["caller_name"]
    for value in TEXTS:
        assert schema_accepts(description, value) == server_accepts(Required, value), ascii(value)
        assert schema_accepts(name, value) == server_accepts(Text, value), ascii(value)


def test_an_empty_or_blank_description_is_refused_by_the_schema_and_the_server(
    schema, city, api_as
):
    description = component(schema, "OrderIn")["properties"]["description"]
    for value in ("", "   ", "\u3000\n"):
        assert not schema_accepts(description, value)
        body = {"category": "W-LEAK", "community": city.xingguang.pk, "description": value}
        response = api_as("agent").post("/api/v1/orders", body)
        assert response.status_code == 422 and "description" in response.json()["fields"]


MOMENTS = [
    ("1999-12-31T23:59:59+08:00", False),
    ("2000-01-01T00:00:00Z", True),
    ("2026-11-21T14:30:00+08:00", True),
    ("2100-12-31T23:59:59-12:00", True),
    ("2101-01-01T00:00:00Z", False),
    ("0001-01-01T00:00:00Z", False),
    ("9999-12-31T23:59:59Z", False),
]


def test_the_schema_and_the_server_agree_on_the_years_of_a_moment(schema):
    until = component(schema, "DeadlineIn")["properties"]["until"]
    assert until["format"] == "date-time"
    for value, valid in MOMENTS:
        datetime.fromisoformat(value)  # each is a real date-time: only the year decides
        assert schema_accepts(until, value) is valid, value
        assert server_accepts(Moment, value) is valid, value


def form_required(form_class) -> set[str]:
    return {name for name, field in form_class.base_fields.items() if field.required}


def test_each_action_has_its_own_operation_requiring_the_fields_of_its_form(schema):
    for action, (form_class, _perform) in ACTIONS.items():
        operation = schema["paths"][f"/api/v1/orders/{{order_id}}/actions/{action}"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(body["required"]) == form_required(form_class) | {"version"}, action
        assert set(body["properties"]) <= set(form_class.base_fields) | {"version"}, action
        assert SCHEMA_OF_FORM[form_class].__name__ == ref.rsplit("/", 1)[1]


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_body_missing_a_field_the_schema_requires_is_refused_naming_it(
    schema, city, api_as, new_order, action
):
    order = new_order()
    operation = schema["paths"][f"/api/v1/orders/{{order_id}}/actions/{action}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body_schema = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    full = {
        name: value
        for name, value in EVERY_FIELD(city).items()
        if name in body_schema["properties"]
    }
    full["version"] = order.version
    for missing in body_schema["required"]:
        body = {name: value for name, value in full.items() if name != missing}
        assert not schema_accepts(body_schema, body)
        response = api_as("dispatcher").post(f"/api/v1/orders/{order.pk}/actions/{action}", body)
        assert response.status_code == 422, (missing, response.content)
        assert missing in response.json()["fields"]


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"version": 1, "result": "satisfied"}, True),
        ({"version": 1, "result": "unsatisfied"}, False),
        ({"version": 1, "result": "unsatisfied", "note": "  "}, False),
        ({"version": 1, "result": "unsatisfied", "note": "水还是黄的"}, True),
    ],
)
def test_an_unsatisfied_callback_needs_a_note_in_the_schema_as_on_the_form(schema, body, valid):
    assert schema_accepts(resolved(schema, "CallbackIn"), body) is valid
    form = ACTIONS["callback"][0](data={"note": "", **body})
    assert form.is_valid() is valid


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"version": 1}, False),
        ({"version": 1, "note": " "}, False),
        ({"version": 1, "note": "重复来电"}, True),
        ({"version": 1, "duplicate_of": "2026112100001"}, True),
    ],
)
def test_a_cancel_needs_a_reason_or_the_original_in_the_schema(schema, body, valid):
    assert schema_accepts(resolved(schema, "CancelIn"), body) is valid


def resolved(schema, name: str) -> dict:
    return {**component(schema, name), "components": schema["components"]}


def test_the_docs_page_still_shows_the_schema(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/openapi.json" in page.content


@pytest.mark.parametrize("offset", ["+17:46", "-23:59", "+14:00"])
def test_a_moment_with_any_offset_iso_8601_allows_is_accepted(city, api_as, offset):
    """PostgreSQL refuses offsets from ±16:00 on; schemathesis found it sending one."""
    moment = f"2100-10-06T17:03:53{offset}"
    listed = api_as("dispatcher").get("/api/v1/orders", {"since": moment})
    assert listed.status_code == 200, listed.content
    end = f"2100-10-07T00:00:00{offset}"
    found = Client().get("/open311/v2/requests.json", {"start_date": moment, "end_date": end})
    assert found.status_code == 200, found.content
