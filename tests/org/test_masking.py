"""Residents' personal data: masked by default, revealed with a reason, always logged."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from mains.lib.masking import mask_address, mask_name, mask_phone
from mains.org.models import AccessLog

FULL = ("张三", "13812341234", "星光水晶城3号楼2单元501")
MASKED = ("张*", "138****1234", "星光水晶城3号楼****")


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("0635-8221234", "0635-****234"),
        ("8221234", "****234"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_phones_keep_only_their_ends(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("欧阳娜娜", "欧阳**"), ("李", "李*"), ("Li Lei", "L***"), (" ", "")],
)
def test_names_keep_only_the_family_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("星光水晶城3号楼2单元501", "星光水晶城3号楼****"),
        ("锦绣家园12栋3单元402室", "锦绣家园12栋****"),
        ("望湖小区B座1801", "望湖小区B座****"),
        ("西湖馨苑二号楼东单元", "西湖馨苑二号楼****"),
        ("光彩小区5号楼", "光彩小区5号楼****"),
        ("东关街45号", "东关街****"),
    ],
)
def test_addresses_are_cut_to_the_building(address, masked):
    assert mask_address(address) == masked


def caller_shown(client, order) -> str:
    return client.get(f"/desk/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_dispatcher_sees_the_caller_masked(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    page = caller_shown(client, order)
    for full, masked in zip(FULL, MASKED, strict=True):
        assert masked in page
        assert full not in page
    assert 'id="reveal-form"' in page


def test_the_assigned_specialist_sees_the_caller_in_full(client, city, new_order):
    order = new_order()
    client.force_login(city.sam)
    page = caller_shown(client, order)
    assert all(full in page for full in FULL)
    assert 'id="reveal-form"' not in page
    mine = client.get("/desk/mine/").content.decode()
    assert "13812341234" in mine


def reveal(client, order, reason, **extra):
    return client.post(
        "/desk/reveal/",
        {"subject": f"order:{order.pk}", "reason": reason, "next": f"/desk/orders/{order.pk}/"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
        **extra,
    )


@pytest.mark.parametrize("reason", ["", "   ", "a"])
def test_revealing_without_a_reason_is_refused(client, city, new_order, reason):
    order = new_order()
    client.force_login(city.dispatcher)
    page = reveal(client, order, reason).content.decode()
    assert "Give a reason to show the personal data." in page
    assert "13812341234" not in page
    assert not AccessLog.objects.exists()


def test_revealing_with_a_reason_shows_the_data_and_writes_the_access_log(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    response = reveal(client, order, "回拨核实地址", REMOTE_ADDR="10.20.30.40")
    assert response.redirect_chain == [(f"/desk/orders/{order.pk}/", 302)]
    page = response.content.decode()
    assert all(full in page for full in FULL)
    entry = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert (entry.user, entry.action, entry.subject, entry.reason, entry.ip) == (
        city.dispatcher,
        AccessLog.Action.REVEAL,
        f"order:{order.pk}",
        "回拨核实地址",
        "10.20.30.40",
    )
    # The page it went back to showed the data: that view is logged with the same reason.
    view = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (view.user, view.subject, view.purpose, view.reason) == (
        city.dispatcher,
        f"order:{order.pk}",
        AccessLog.Purpose.REVEALED,
        "回拨核实地址",
    )
    other = new_order(caller_name="李四", caller_phone="13900001111")
    assert "13900001111" not in caller_shown(client, other)


def test_a_reveal_lapses_after_a_quarter_of_an_hour(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        reveal(client, order, "核实")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert "13812341234" in caller_shown(client, order)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert "13812341234" not in caller_shown(client, order)


def test_a_role_that_does_not_need_personal_data_cannot_reveal_it(client, city, new_order):
    order = new_order()
    client.force_login(city.inspector)
    assert 'id="reveal-form"' not in caller_shown(client, order)
    assert reveal(client, order, "抽查").status_code == 403
    assert not AccessLog.objects.exists()


def test_the_administrator_reads_the_access_log_and_exports_it_which_is_logged_too(
    client, city, new_order
):
    order = new_order()
    client.force_login(city.dispatcher)
    reveal(client, order, "回拨核实地址")
    client.force_login(city.admin)
    page = client.get("/org/access-log/").content.decode()
    assert "dora" in page
    assert "回拨核实地址" in page
    assert f"order:{order.pk}" in page

    response = client.get("/org/access-log/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # the reveal and the view of the page it went back to
    assert {(r[1], r[3], r[5]) for r in rows[1:]} == {("dora", f"order:{order.pk}", "回拨核实地址")}
    export = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (export.user, export.subject, export.ip) == (city.admin, "access_log", "127.0.0.1")


def test_the_access_log_filters_by_user_and_action(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    reveal(client, order, "回拨核实")
    client.force_login(city.agent)
    reveal(client, order, "受理回访")
    client.force_login(city.admin)
    page = client.get("/org/access-log/?user=anna").content.decode()
    assert "受理回访" in page
    assert "回拨核实" not in page.replace("受理回访", "")
    page = client.get("/org/access-log/?action=export").content.decode()
    assert "受理回访" not in page


def test_a_very_long_reason_is_kept_to_the_length_the_log_holds(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    response = reveal(client, order, "核" * 400)
    assert response.status_code == 200
    assert len(AccessLog.objects.get(action=AccessLog.Action.REVEAL).reason) == 300
    assert "13812341234" in response.content.decode()
