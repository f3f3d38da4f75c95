"""Issue 10 item 15: phones and identifiers in any digits are one number; invisible controls
never reach the database, whichever way the text comes in."""

import importlib
import pkgutil
import re
import sys
import unicodedata

import pytest
from django import forms
from django.core.cache import cache

import mains
from mains.api.tokens import create_token
from mains.areas.imports import import_areas
from mains.areas.models import Community, Grid
from mains.care.models import Resident
from mains.desk.models import WorkOrder
from mains.lib.fields import IdentifierField, LineField, PhoneField, ProseField
from mains.lib.stored_text import SUSPECT, clean_stored_rows
from mains.lib.text import clean_identifier, clean_line, clean_prose
from tests.areas.books import community, make_book

FULL_WIDTH_PHONE = "137０００００012"
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
MARKS = ["\u200e", "\u200f", "\u061c"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad"]
CONTROLS = ["\x01", "\x07", "\x1b", "\x7f", "\x80", "\x9b"]
INVISIBLE = BIDI + MARKS + ZERO_WIDTH + CONTROLS


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("char", INVISIBLE)
def test_names_and_addresses_lose_every_invisible_control(char):
    assert clean_line(f"王{char}五") == "王五"
    assert clean_line(f"3号楼{char}2单元{char}") == "3号楼2单元"
    assert clean_prose(f"楼道{char}漏水\n第二行\t完") == "楼道漏水\n第二行\t完"


def test_one_line_text_keeps_chinese_punctuation_and_puts_breaks_on_one_line():
    assert (
        clean_line("幸福里小区（东门）\u3000王家\r\n一楼\t后")
        == "幸福里小区（东门）\u3000王家 一楼 后"
    )
    assert clean_prose("第一行\r\n第二行\r第三行\u2028第四行") == "第一行\n第二行\n第三行\n第四行"


def test_identifiers_read_full_width_and_other_digits_as_ascii():
    assert clean_identifier("２０２６ １２０２\u200b００５５９") == "2026120200559"
    assert clean_identifier("٠٠١٢") == "0012"  # Arabic-Indic digits
    assert clean_identifier("Ｗ－ＬＥＡＫ") == "W-LEAK"


def test_the_migrations_pattern_finds_every_character_clean_line_changes():
    pattern = re.compile(SUSPECT)
    for code in range(1, sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        cleaned = clean_line(f"a{char}b")
        removed = cleaned == "ab" or (cleaned == "a b" and char != " ")
        unassigned = unicodedata.category(char) == "Cn"  # format characters of later Unicode
        assert bool(pattern.search(char)) in ({removed, True} if unassigned else {removed}), hex(
            code
        )


# Every entry point.


def typed_at_intake(city, **changes) -> dict:
    return {
        "caller_phone": FULL_WIDTH_PHONE,
        "caller_name": "王\u202e五",
        "community": city.xingguang.pk,
        "address": "5号楼\u200b1单元\u2066202\u2069",
        "category": city.leak.pk,
        "channel": "hotline",
        "description": "厨房\u200d水表\u202e漏水\n已关阀",
        **changes,
    }


def test_the_intake_stores_the_phone_in_ascii_and_the_text_without_controls(client, city):
    client.force_login(city.agent)
    assert client.post("/desk/intake/", typed_at_intake(city)).status_code == 302
    order = WorkOrder.objects.get()
    assert order.caller_phone == "13700000012"
    assert (order.caller_name, order.address) == ("王五", "5号楼1单元202")
    assert order.description == "厨房水表漏水\n已关阀"


def test_the_callers_history_finds_a_full_width_number(client, city, new_order):
    order = new_order(caller_phone="13700000012")
    client.force_login(city.agent)
    panel = client.get("/desk/intake/caller/", {"caller_phone": FULL_WIDTH_PHONE})
    assert order.number in panel.content.decode()


def test_the_order_search_finds_a_full_width_number_and_phone(client, city, new_order):
    order = new_order(caller_phone="13700000012")
    client.force_login(city.dispatcher)
    for typed in (FULL_WIDTH_PHONE, "".join(chr(ord(d) + 0xFEE0) for d in order.number)):
        page = client.get("/desk/orders/", {"q": typed}).content.decode()
        assert f"/desk/orders/{order.pk}/" in page, typed


def track(client, number, last_four):
    return client.post("/track/", {"number": number, "last_four": last_four})


def test_an_order_taken_with_full_width_digits_is_tracked_with_the_ascii_last_four(client, city):
    client.force_login(city.agent)
    client.post("/desk/intake/", typed_at_intake(city))
    client.logout()
    order = WorkOrder.objects.get()
    assert track(client, order.number, "0012").context["order"] == order
    width = "".join(chr(ord(d) + 0xFEE0) for d in order.number)
    assert track(client, f" {width}\u200b", "００１２").context["order"] == order


def test_the_residents_report_form_cleans_what_it_stores(client, city):
    response = client.post(
        f"/c/{city.xingguang.pk}/",
        {
            "category": str(city.leak.pk),
            "description": "楼道\u202e水表滴水",
            "address": "3号楼\u200b2单元\u2067501\u2069",
            "phone": f"＋８６ {FULL_WIDTH_PHONE}",
        },
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get()
    assert order.caller_phone == "13700000012"
    assert order.address == "星光水晶城 3号楼2单元501"
    assert order.description == "楼道水表滴水"
    assert track(client, order.number, "0012").context["order"] == order


def test_the_special_group_register_cleans_what_it_stores(client, city):
    client.force_login(city.dispatcher)
    data = {
        "name": "李\u202e爷爷",
        "phone": FULL_WIDTH_PHONE,
        "community": city.xingguang.pk,
        "address": "5号楼\ufeff1单元101",
        "group": "disabled",
        "visit_every_days": 14,
        "consent_note": "监护人\u200b签字同意",
    }
    assert client.post("/care/residents/", data).status_code == 302
    resident = Resident.objects.get()
    assert (resident.name, resident.phone, resident.address) == (
        "李爷爷",
        "13700000012",
        "5号楼1单元101",
    )
    assert resident.consent_note == "监护人签字同意"


def api(client, user, payload):
    key = create_token(user, "test")[1]
    return client.post(
        "/api/v1/orders",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def test_the_api_cleans_what_it_stores(client, city):
    response = api(
        client,
        city.agent,
        {
            "category": "Ｗ-LEAK",
            "description": "楼道\u2066水表\u2069漏水",
            "community": city.xingguang.pk,
            "caller_name": "\u202e李四",
            "caller_phone": FULL_WIDTH_PHONE,
            "address": "星光水晶城\u200b5号楼1单元301",
        },
    )
    assert response.status_code == 201, response.content
    order = WorkOrder.objects.get()
    assert (order.category, order.caller_phone) == (city.leak, "13700000012")
    assert (order.caller_name, order.address) == ("李四", "星光水晶城5号楼1单元301")
    assert order.description == "楼道水表漏水"
    assert track(client, order.number, "0012").context["order"] == order


def test_open311_cleans_what_it_stores_and_finds_requests_by_full_width_number(client, city):
    key = create_token(city.agent, "12345 hotline")[1]
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "W-LEAK",
            "address_string": "星光\u200b水晶城",
            "attribute[building]": "3号楼\u202e2单元501",
            "description": "楼道水表\u200f漏水",
            "last_name": "张\u2066",
            "first_name": "三",
            "phone": FULL_WIDTH_PHONE,
        },
    )
    assert response.status_code == 201, response.content
    order = WorkOrder.objects.get()
    assert order.community == city.xingguang, "the community is found despite the zero width"
    assert (order.caller_name, order.caller_phone) == ("张三", "13700000012")
    assert order.address == "星光水晶城 3号楼2单元501"
    assert order.description == "楼道水表漏水"
    width = "".join(chr(ord(d) + 0xFEE0) for d in order.number)
    [found] = client.get(f"/open311/v2/requests/{width}.json").json()
    assert found["service_request_id"] == order.number


def test_the_areas_import_cleans_names_and_codes(city):
    book = make_book(communities=[community("锦华\u200b花园\u202e", grid="Ｅ01")], grids=[])
    result = import_areas(book, by=city.admin)
    assert result.ok, result.errors
    assert Community.objects.get(name="锦华花园").grid == Grid.objects.get(code="E01")


def test_rows_stored_before_the_fix_are_cleaned_by_the_data_migration(city, new_order):
    order = new_order()
    WorkOrder.objects.filter(pk=order.pk).update(
        caller_phone=FULL_WIDTH_PHONE, caller_name="张\u202e三", address="3号楼\u200b2单元"
    )
    untouched = new_order(caller_phone="13812341234", address="5号楼")
    assert clean_stored_rows(WorkOrder, ("caller_phone",), ("caller_name", "address")) == 1
    order.refresh_from_db()
    assert (order.caller_phone, order.caller_name, order.address) == (
        "13700000012",
        "张三",
        "3号楼2单元",
    )
    untouched.refresh_from_db()
    assert (untouched.caller_phone, untouched.address) == ("13812341234", "5号楼")


CLEANING_FIELDS = (LineField, ProseField, IdentifierField, PhoneField)


def _forms_of_mains() -> list[type[forms.Form]]:
    for module in pkgutil.walk_packages(mains.__path__, "mains."):
        if ".migrations" not in module.name and not module.name.endswith(("cli", "wsgi")):
            importlib.import_module(module.name)
    found, todo = [], list(forms.Form.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith("mains."):
            found.append(form)
    return found


def test_every_form_of_mains_cleans_the_text_people_type():
    """A plain CharField would store bidi and zero-width controls: use mains.lib.fields."""
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _forms_of_mains()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field, CLEANING_FIELDS)
    ]
    assert len(_forms_of_mains()) >= 15
    assert plain == []


# The API's request bodies with text fields, and what else each one needs to be valid.
API_BODIES = {
    "schemas.OrderIn": {"community": 1},
    "action_schemas.NoteIn": {"version": 1},
    "action_schemas.ReasonIn": {"version": 1},
    "action_schemas.ResolveIn": {"version": 1},
    "action_schemas.AssignIn": {"version": 1, "specialist": 1},
    "action_schemas.DeadlineIn": {"version": 1, "until": "2030-01-01T08:00:00+08:00"},
    "action_schemas.DecisionIn": {"version": 1, "approve": True},
    "action_schemas.CallbackIn": {"version": 1, "result": "satisfied"},
    "action_schemas.CancelIn": {"version": 1},
}


@pytest.mark.parametrize("schema", sorted(API_BODIES))
def test_every_text_field_the_api_reads_is_cleaned(schema):
    import importlib

    module, name = schema.split(".")
    model = getattr(importlib.import_module(f"mains.api.{module}"), name)
    texts = [n for n, f in model.model_fields.items() if "str" in str(f.annotation)]
    body = {**API_BODIES[schema], **{name: "1\u202e2\u200b3" for name in texts}}
    parsed = model.model_validate(body)
    assert texts and {name: getattr(parsed, name) for name in texts} == dict.fromkeys(texts, "123")
