"""Issue 10 item 2: welfare visits and alarm orders stay internal, and a welfare visit's
details are read only by those who visit, route or manage it.

The welfare visit is made as the product makes it: the network watch raises a household
alarm on the meter of a registered special-group resident (mains.telemetry.alarms.registry).
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mains.api.tokens import create_token
from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.desk.actions import do_accept, do_arrive, do_resolve
from mains.desk.models import Category, Channel
from mains.notify.models import Message, Template
from mains.telemetry.alarms.actions import do_raise_alarm
from mains.telemetry.alarms.registry import WELFARE_CATEGORY
from mains.telemetry.models import Alarm, Meter

V2 = "/open311/v2"
HOME = "星光水晶城5号楼1单元302"
BUILDING = "5号楼"
# What the order's description says that nobody but its readers may learn.
EVIDENCE = "XG-H302"
HOUSEHOLD = {
    "direction": "low",
    "low_litres": 10.0,
    "high_litres": 1000.0,
    "days": [{"day": "2026-02-28", "litres": 4.2, "hours_covered": 24.0, "readings": 96}],
}
BURST = {
    "reference_flow_m3h": 40.0,
    "reference_pressure_mpa": 0.32,
    "flow_threshold_m3h": 52.0,
    "pressure_threshold_mpa": 0.27,
    "readings": [],
}
# Who reads a welfare visit's details: those who visit (the grid's specialist, its deputy),
# route (dispatcher, administrator) and manage its unit (una, of the east unit).
READERS = ["sam", "dispatcher", "admin", "unit_manager"]
OTHERS = ["agent", "inspector", "engineer", "manager", "supervisor"]


@pytest.fixture(autouse=True)
def _in_english_with_fresh_limits():
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def resident(city):
    return do_register_resident(
        city.dispatcher,
        consent_note="电话同意",
        name="王秀英",
        phone="13911112222",
        address=HOME,
        community=city.xingguang,
        group=Resident.Group.ELDERLY_ALONE,
    )


@pytest.fixture
def welfare(city, resident):
    """The welfare visit the watch opens when 王秀英's household meter shows 4 L in a day."""
    meter = Meter.objects.create(
        code="XG-H302", kind=Meter.Kind.HOUSEHOLD, community=city.xingguang, resident=resident
    )
    raised_at = timezone.now() - timedelta(hours=1)
    alarm = do_raise_alarm(meter, Alarm.Kind.HOUSEHOLD_USAGE, raised_at, HOUSEHOLD)
    order = alarm.work_order
    assert (order.category.code, order.channel, order.address) == (WELFARE_CATEGORY, "alarm", HOME)
    assert EVIDENCE in order.description
    return order


@pytest.fixture
def burst_order(city):
    meter = Meter.objects.create(code="JX-M1", kind=Meter.Kind.MASTER, community=city.jinxiu)
    alarm = do_raise_alarm(meter, Alarm.Kind.BURST, timezone.now() - timedelta(hours=1), BURST)
    assert alarm.work_order.category.code == "W-BURST"
    return alarm.work_order


@pytest.fixture
def resident_order(new_order):
    """A resident's own report from the QR page: public, as before."""
    return new_order(by=None, channel=Channel.WEB, description="楼道水表漏水")


def numbers_in(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {r["service_request_id"] for r in response.json()}


def login(client, city, who):
    client.force_login(getattr(city, who))
    return client


# Open311 -----------------------------------------------------------------------------


def test_open311_lists_no_welfare_visit_even_when_asked_for_its_service_code(client, city, welfare):
    response = client.get(f"{V2}/requests.json", {"service_code": WELFARE_CATEGORY})
    assert numbers_in(response) == set()
    assert HOME not in response.content.decode() and BUILDING not in response.content.decode()


def test_open311_lists_no_alarm_order_unfiltered_nor_to_a_staff_key(
    client, city, welfare, burst_order, resident_order
):
    _token, key = create_token(city.agent, "12345 hotline")
    for params in ({}, {"api_key": key}, {"service_code": "W-BURST"}):
        assert numbers_in(client.get(f"{V2}/requests.json", params)) <= {resident_order.number}


def test_open311_does_not_find_an_internal_order_by_id_or_by_number(
    client, city, welfare, burst_order
):
    for order in (welfare, burst_order):
        listed = client.get(f"{V2}/requests.json", {"service_request_id": order.number})
        assert numbers_in(listed) == set()
        one = client.get(f"{V2}/requests/{order.number}.json")
        unknown = client.get(f"{V2}/requests/2026000000000.json")
        assert one.status_code == unknown.status_code == 404
        assert EVIDENCE not in one.content.decode()


def test_open311_services_and_definitions_leave_out_the_welfare_category(client, city, welfare):
    codes = {s["service_code"] for s in client.get(f"{V2}/services.json").json()}
    assert WELFARE_CATEGORY not in codes and "W-LEAK" in codes
    assert client.get(f"{V2}/services/{WELFARE_CATEGORY}.json").status_code == 404


def test_open311_refuses_a_request_in_the_welfare_category_like_an_unknown_service(
    client, city, welfare
):
    _token, key = create_token(city.agent, "12345 hotline")
    fields = {
        "api_key": key,
        "address_string": "星光水晶城",
        "attribute[building]": "5号楼1单元302",
        "description": "老人家里没动静",
        "phone": "13812341234",
    }
    before = city.xingguang.workorder_set.count()
    welfare_answer = client.post(
        f"{V2}/requests.json", {**fields, "service_code": WELFARE_CATEGORY}
    )
    unknown_answer = client.post(f"{V2}/requests.json", {**fields, "service_code": "W-NOPE"})
    assert welfare_answer.status_code == unknown_answer.status_code == 404
    assert city.xingguang.workorder_set.count() == before


def test_a_residents_order_still_appears_in_open311_as_before(client, city, resident_order):
    assert numbers_in(client.get(f"{V2}/requests.json")) == {resident_order.number}
    (one,) = client.get(f"{V2}/requests/{resident_order.number}.json").json()
    assert one["service_code"] == "W-LEAK" and one["description"] is None
    assert "501" not in one["address"]
    services = client.get(f"{V2}/services.json").json()
    assert WELFARE_CATEGORY not in {s["service_code"] for s in services}


def test_a_category_an_administrator_marks_internal_leaves_open311_and_the_report_form(
    client, city, resident_order
):
    Category.objects.filter(code="W-LEAK").update(visibility="internal")
    assert numbers_in(client.get(f"{V2}/requests.json")) == set()
    assert "W-LEAK" not in {s["service_code"] for s in client.get(f"{V2}/services.json").json()}
    offered = client.get(f"/c/{city.xingguang.pk}/").context["form"].fields["category"].queryset
    assert not offered.filter(code="W-LEAK").exists()


# Residents' pages -------------------------------------------------------------------


def test_the_report_form_does_not_offer_the_welfare_category(client, city, welfare):
    form = client.get(f"/c/{city.xingguang.pk}/").context["form"]
    offered = set(form.fields["category"].queryset.values_list("code", flat=True))
    assert WELFARE_CATEGORY not in offered and "W-LEAK" in offered
    assert "特殊群体" not in client.get(f"/c/{city.xingguang.pk}/").content.decode()


def test_the_report_form_refuses_a_posted_welfare_category(client, city, welfare):
    before = city.xingguang.workorder_set.count()
    response = client.post(
        f"/c/{city.xingguang.pk}/",
        {
            "category": str(welfare.category.pk),
            "description": "隔壁老人几天没开门",
            "address": "5号楼1单元302",
            "phone": "13812345678",
        },
    )
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert "隔壁老人几天没开门" in response.content.decode(), "what was typed is shown again"
    assert city.xingguang.workorder_set.count() == before


def test_tracking_an_internal_order_answers_not_found_even_with_the_right_digits(
    client, city, welfare, new_order
):
    # A neighbour's call filed at the hotline as a welfare visit has a phone to match.
    called_in = new_order(category=welfare.category, caller_phone="13812345678")
    for order, digits in ((welfare, "0000"), (called_in, "5678")):
        response = client.post("/track/", {"number": order.number, "last_four": digits})
        assert response.status_code == 200 and response.context.get("not_found") is True
        assert "order" not in response.context


def test_tracking_a_residents_own_order_still_works(client, city, new_order):
    order = new_order(caller_phone="13812345678")
    response = client.post("/track/", {"number": order.number, "last_four": "5678"})
    assert response.context["order"].pk == order.pk


# The desk: who reads a welfare visit ------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_those_who_visit_route_or_manage_it_read_the_welfare_visit(client, city, welfare, who):
    html = login(client, city, who).get(reverse("desk:order", args=[welfare.pk])).content.decode()
    assert EVIDENCE in html and BUILDING in html


def test_the_deputy_who_covers_the_grid_reads_it_and_another_grids_specialist_cannot_open_it(
    client, city, welfare
):
    page = reverse("desk:order", args=[welfare.pk])
    assert login(client, city, "tom").get(page).status_code == 404
    city.grid_east.deputy = city.tom.specialist
    city.grid_east.save(update_fields=["deputy"])
    html = login(client, city, "tom").get(page).content.decode()
    assert EVIDENCE in html and HOME in html


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_see_the_welfare_visit_with_its_community_only(client, city, welfare, who):
    login(client, city, who)
    # Revealing with a reason does not unmask a welfare visit for them either.
    client.post(reverse("desk:reveal"), {"subject": f"order:{welfare.pk}", "reason": "查看"})
    response = client.get(reverse("desk:order", args=[welfare.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert EVIDENCE not in html and BUILDING not in html and HOME not in html
    assert "星光水晶城" in html and "special-group resident" in html
    assert 'id="reveal-form"' not in html


@pytest.mark.parametrize("who", OTHERS)
def test_the_api_withholds_a_welfare_visits_description_and_building(city, welfare, who):
    _token, key = create_token(getattr(city, who), "test")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    one = api.get(f"/api/v1/orders/{welfare.pk}").json()
    (listed,) = [
        o for o in api.get("/api/v1/orders", {"category": WELFARE_CATEGORY}).json()["items"]
    ]
    for shown in (one, listed):
        assert shown["description"] and EVIDENCE not in shown["description"]
        assert shown["address"] == "星光水晶城" and shown["personal_data_masked"] is True


@pytest.mark.parametrize("who", READERS)
def test_the_api_gives_readers_the_welfare_visits_description(city, welfare, who):
    _token, key = create_token(getattr(city, who), "test")
    shown = Client(headers={"Authorization": f"Bearer {key}"}).get(f"/api/v1/orders/{welfare.pk}")
    assert EVIDENCE in shown.json()["description"] and BUILDING in shown.json()["address"]


def test_the_specialists_list_shows_the_visit_in_full(client, city, welfare):
    html = login(client, city, "sam").get(reverse("desk:my_orders")).content.decode()
    assert EVIDENCE in html and HOME in html


def test_the_agents_duplicate_hints_withhold_a_welfare_visits_description(client, city, welfare):
    params = {"community": city.xingguang.pk, "category": welfare.category_id}
    html = login(client, city, "agent").get(reverse("desk:intake_hints"), params)
    assert welfare.number in html.content.decode() and EVIDENCE not in html.content.decode()
    html = login(client, city, "dispatcher").get(reverse("desk:intake_hints"), params)
    assert EVIDENCE in html.content.decode()


def test_the_callback_queue_and_history_withhold_what_the_visit_found(client, city, welfare):
    do_accept(welfare, city.sam)
    do_arrive(welfare, city.sam, "敲门")
    do_resolve(welfare, city.sam, "王奶奶摔倒在厨房，已送医")
    found = "摔倒在厨房"
    queue = login(client, city, "agent").get(reverse("desk:callbacks")).content.decode()
    assert welfare.number in queue and found not in queue
    page = client.get(reverse("desk:order", args=[welfare.pk])).content.decode()
    assert found not in page and "敲门" not in page
    queue = login(client, city, "dispatcher").get(reverse("desk:callbacks")).content.decode()
    assert found in queue
    assert found in client.get(reverse("desk:order", args=[welfare.pk])).content.decode()


def test_the_lists_of_other_roles_name_the_visit_but_not_the_building(client, city, welfare):
    for who, url in (("manager", "desk:board"), ("inspector", "desk:orders")):
        html = login(client, city, who).get(reverse(url)).content.decode()
        assert welfare.number in html and BUILDING not in html and EVIDENCE not in html


def test_a_burst_alarms_evidence_stays_readable_by_all_staff(client, city, burst_order):
    html = login(client, city, "engineer").get(reverse("desk:order", args=[burst_order.pk]))
    assert "JX-M1" in html.content.decode()


def test_the_units_group_chat_hears_of_a_late_visit_without_its_building(city, welfare):
    from mains.desk.order_messages import notify_sla

    Template.objects.filter(event="sla_overdue", channel="wecom").update(
        body="{{ number }} {{ address }} {{ description }}"
    )
    city.unit_manager.email = "una@example.cn"
    city.unit_manager.save(update_fields=["email"])
    notify_sla("red", [welfare.pk])
    chat = Message.objects.get(event="sla_overdue", channel="wecom")
    mail = Message.objects.get(event="sla_overdue", channel="email")
    assert welfare.number in chat.body and BUILDING not in chat.body
    assert EVIDENCE not in chat.body
    assert HOME in mail.body


# The model -------------------------------------------------------------------------


def test_an_existing_welfare_category_is_marked_special_group_by_the_migration(city):
    import importlib

    from django.apps import apps as django_apps

    from mains.telemetry.alarms.registry import WELFARE_DEFAULTS

    Category.objects.create(
        code=WELFARE_CATEGORY,
        calendar=city.burst.calendar,
        **{**WELFARE_DEFAULTS, "visibility": "public"},
    )
    migration = importlib.import_module("mains.desk.migrations.0006_welfare_category_special_group")
    migration.mark_welfare_special_group(django_apps, None)
    assert Category.objects.get(code=WELFARE_CATEGORY).visibility == "special_group"


def test_an_administrator_sets_a_categorys_visibility_in_the_admin(client, city):
    city.admin.is_staff = city.admin.is_superuser = True
    city.admin.save(update_fields=["is_staff", "is_superuser"])
    page = login(client, city, "admin").get(
        reverse("admin:desk_category_change", args=[city.leak.pk])
    )
    assert page.status_code == 200 and 'name="visibility"' in page.content.decode()


@pytest.mark.parametrize("who", OTHERS)
def test_a_welfare_visits_files_answer_404_to_those_who_do_not_read_it(client, city, welfare, who):
    from django.core.files.base import ContentFile

    from mains.desk.models import Attachment

    photo = Attachment.objects.create(
        order=welfare, file=ContentFile(b"%PDF-1.4 visit", name="visit.pdf"), name="visit.pdf"
    )
    url = reverse("desk:attachment", args=[welfare.pk, photo.pk])
    missing = reverse("desk:attachment", args=[welfare.pk, photo.pk + 1000])
    login(client, city, who)
    assert client.get(url).status_code == client.get(missing).status_code == 404
    login(client, city, "sam")
    assert client.get(url).status_code == 200
