"""Issue 10, item 4: the Django admin masks residents' data like the pages. Lists and change
views of orders, special-group residents, visits and messages show it masked and read-only;
showing it takes a reveal with a reason, logged; search and filters are no oracle for a
phone number."""

import pytest

from mains.care.actions import do_record_visit
from mains.care.models import Resident, Visit
from mains.notify.models import Message
from mains.org.models import AccessLog
from mains.outages.models import Outage, OutageCaller
from tests.security.personal_data import (
    CALLER,
    MASKED_CALLER,
    MASKED_RESIDENT,
    RESIDENT,
    register_resident,
    views,
)


@pytest.fixture
def admin_client(client, city):
    client.force_login(city.admin)
    return client


def page(client, url: str, **params) -> str:
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def shows_masked(text: str, full: tuple, masked: tuple) -> bool:
    return all(m in text for m in masked) and not any(f in text for f in full)


def test_the_order_list_and_change_view_show_the_caller_masked(admin_client, new_order):
    order = new_order()
    assert not any(f in page(admin_client, "/admin/desk/workorder/") for f in CALLER)
    change = page(admin_client, f"/admin/desk/workorder/{order.pk}/change/")
    assert shows_masked(change, CALLER, MASKED_CALLER)
    assert 'id="reveal-form"' in change
    assert views() == []


def test_revealing_an_order_in_the_admin_takes_a_reason_and_is_logged(
    admin_client, city, new_order
):
    order = new_order()
    reveal = f"/admin/desk/workorder/{order.pk}/reveal/"
    refused = admin_client.post(reveal, {"reason": " "}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give a reason to show the personal data." in refused.content.decode()
    assert not AccessLog.objects.exists()

    response = admin_client.post(reveal, {"reason": "核对重复工单"}, follow=True)
    assert response.redirect_chain == [(f"/admin/desk/workorder/{order.pk}/change/", 302)]
    assert all(f in response.content.decode() for f in CALLER)
    entry = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert (entry.user, entry.subject, entry.purpose, entry.reason) == (
        city.admin,
        f"order:{order.pk}",
        AccessLog.Purpose.ADMINISTRATION,
        "核对重复工单",
    )
    assert len(views()) == 1


def test_a_reveal_needs_a_post(admin_client, new_order):
    order = new_order()
    assert admin_client.get(f"/admin/desk/workorder/{order.pk}/reveal/").status_code == 405
    assert not AccessLog.objects.exists()


def test_a_reveal_of_an_unknown_object_is_not_found(admin_client):
    response = admin_client.post("/admin/desk/workorder/999999/reveal/", {"reason": "核对"})
    assert response.status_code == 404


def test_only_the_admin_reaches_the_admin_reveal(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    response = client.post(f"/admin/desk/workorder/{order.pk}/reveal/", {"reason": "核对"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not AccessLog.objects.exists()


def test_the_order_search_finds_a_phone_only_whole(admin_client, new_order):
    order = new_order()
    assert order.number in page(admin_client, "/admin/desk/workorder/", q=CALLER[1])
    for part in ["1381234", "1234", "张三", "3号楼2单元"]:
        assert order.number not in page(admin_client, "/admin/desk/workorder/", q=part), part


@pytest.mark.parametrize(
    "lookup",
    ["caller_phone__startswith", "caller_phone__contains", "caller_name", "address__icontains"],
)
def test_filtering_the_order_list_by_personal_data_is_refused(admin_client, new_order, lookup):
    new_order()
    response = admin_client.get("/admin/desk/workorder/", {lookup: "138"})
    assert response.status_code == 400


def test_residents_are_masked_in_the_list_and_the_change_view(admin_client, city):
    resident = register_resident(city)
    assert shows_masked(page(admin_client, "/admin/care/resident/"), RESIDENT, MASKED_RESIDENT[:1])
    change = page(admin_client, f"/admin/care/resident/{resident.pk}/change/")
    assert shows_masked(change, RESIDENT, MASKED_RESIDENT)
    assert "Special groups page" in change
    assert views() == []


def test_a_resident_s_personal_data_cannot_be_changed_in_the_admin(admin_client, city):
    resident = register_resident(city)
    response = admin_client.post(
        f"/admin/care/resident/{resident.pk}/change/",
        {"name": "改名", "phone": "13900009999", "address": "别处", "visit_every_days": 14},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.name, resident.phone, resident.address) == RESIDENT
    assert resident.visit_every_days == 14
    assert admin_client.get("/admin/care/resident/add/").status_code == 403


def test_the_resident_search_never_matches_a_name_or_a_phone(admin_client, city):
    register_resident(city)
    for text in [RESIDENT[0], RESIDENT[1], "1360000"]:
        assert MASKED_RESIDENT[0] not in page(admin_client, "/admin/care/resident/", q=text)
    assert (
        admin_client.get("/admin/care/resident/", {"phone__startswith": "136"}).status_code == 400
    )


def test_revealing_a_resident_in_the_admin_shows_and_logs_them(admin_client, city):
    resident = register_resident(city)
    Resident.objects.filter(pk=resident.pk).update(notes="左腿不便，需上门")
    hidden = page(admin_client, f"/admin/care/resident/{resident.pk}/change/")
    assert "左腿不便" not in hidden
    admin_client.post(f"/admin/care/resident/{resident.pk}/reveal/", {"reason": "核对登记"})
    shown = page(admin_client, f"/admin/care/resident/{resident.pk}/change/")
    assert all(value in shown for value in RESIDENT) and "左腿不便" in shown
    [entry] = views()
    assert (entry.subject, entry.fields, entry.purpose) == (
        f"resident:{resident.pk}",
        "name,phone,address,notes",
        AccessLog.Purpose.ADMINISTRATION,
    )


def test_visits_show_the_resident_masked_and_hide_the_note(admin_client, city):
    resident = register_resident(city)
    visit = do_record_visit(resident, city.sam, Visit.Help.CHAT, "王秀英说13600001111停机了")
    listed = page(admin_client, "/admin/care/visit/")
    assert MASKED_RESIDENT[0] in listed and RESIDENT[0] not in listed
    change = page(admin_client, f"/admin/care/visit/{visit.pk}/change/")
    assert RESIDENT[0] not in change and RESIDENT[1] not in change
    assert admin_client.get("/admin/care/visit/add/").status_code == 403


@pytest.fixture
def sms(city) -> Message:
    return Message.objects.create(
        event="order_received",
        channel="sms",
        recipient=CALLER[1],
        body=f"您好，{CALLER[1]}的工单已受理。",
        related="order:1",
    )


def test_messages_show_the_recipient_masked_in_the_list_and_the_change_view(admin_client, sms):
    assert shows_masked(
        page(admin_client, "/admin/notify/message/"), CALLER[1:2], MASKED_CALLER[1:2]
    )
    change = page(admin_client, f"/admin/notify/message/{sms.pk}/change/")
    assert shows_masked(change, CALLER[1:2], MASKED_CALLER[1:2])
    admin_client.post(f"/admin/notify/message/{sms.pk}/reveal/", {"reason": "短信投诉核实"})
    assert CALLER[1] in page(admin_client, f"/admin/notify/message/{sms.pk}/change/")
    [entry] = views()
    assert (entry.subject, entry.fields) == (f"message:{sms.pk}", "recipient,body")


def test_the_message_search_finds_a_number_only_whole(admin_client, sms):
    assert f"/admin/notify/message/{sms.pk}/change/" in page(
        admin_client, "/admin/notify/message/", q=CALLER[1]
    )
    missed = page(admin_client, "/admin/notify/message/", q="1381234")
    assert f"/admin/notify/message/{sms.pk}/change/" not in missed
    assert (
        admin_client.get("/admin/notify/message/", {"recipient__startswith": "138"}).status_code
        == 400
    )


def test_an_outage_s_attached_callers_are_masked(admin_client, city):
    outage = Outage.objects.create(
        kind=Outage.Kind.EMERGENCY,
        utility="water",
        starts_at="2026-12-01T08:00:00+08:00",
        ends_at="2026-12-01T18:00:00+08:00",
        reason="抢修",
        created_by=city.dispatcher,
    )
    OutageCaller.objects.create(outage=outage, name=CALLER[0], phone=CALLER[1])
    change = page(admin_client, f"/admin/outages/outage/{outage.pk}/change/")
    assert shows_masked(change, CALLER[:2], MASKED_CALLER[:2])


def test_a_meter_s_resident_is_named_masked(admin_client, city):
    from mains.telemetry.models import Meter

    resident = register_resident(city)
    meter = Meter.objects.create(
        code="HH-1", kind=Meter.Kind.HOUSEHOLD, community=city.xingguang, resident=resident
    )
    change = page(admin_client, f"/admin/telemetry/meter/{meter.pk}/change/")
    assert RESIDENT[0] not in change
