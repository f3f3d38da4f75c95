"""Counts of a thousand and more show with thousands separators (1,234) on the board, the
KPIs and the admin, while order numbers, ids and years are never grouped."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from mains.desk.models import WorkOrder

TZ = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
MANY = 1234


@pytest.fixture
def many_orders(city):
    """1,234 overdue undispatched burst reports of 星光水晶城, numbered as mains numbers them."""
    WorkOrder.objects.bulk_create(
        WorkOrder(
            number=f"2026112000{i:03d}" if i < 1000 else f"202611201{i:04d}",
            channel="hotline",
            category=city.burst,
            priority=city.burst.priority,
            community=city.xingguang,
            description="爆管",
            state="received",
            received_at=RECEIVED,
            current_due=RECEIVED,
            sla_level="red",
            unit=city.east,
        )
        for i in range(MANY)
    )
    return WorkOrder.objects.order_by("number")


def test_intcomma_groups_in_threes_in_chinese_and_plain_output_does_not():
    with translation.override("zh-hans"):
        out = Template("{% load humanize %}{{ n|intcomma }} {{ n }} {{ year }}").render(
            Context({"n": 1234567, "year": 2026})
        )
    assert out == "1,234,567 1234567 2026"


def test_the_board_counts_are_grouped_and_the_order_numbers_are_not(client, city, many_orders):
    client.force_login(city.dispatcher)
    with time_machine.travel(RECEIVED, tick=False):
        page = client.get("/desk/board/").content.decode()
    assert '<span class="badge text-bg-danger">1,234</span>' in page
    first = many_orders.first()
    assert first.number in page and f'href="/desk/orders/{first.pk}/"' in page


def test_the_kpis_show_the_received_count_grouped(client, city, many_orders):
    client.force_login(city.manager)
    page = client.get("/desk/kpis/", {"start": "2026-11-01", "end": "2026-11-30"}).content.decode()
    assert 'id="kpi-received"' in page
    assert re.search(r'id="kpi-received"[^>]*>1,234</a>', page)
    assert "2026-11-01" in page, "dates are not grouped"


def test_the_admin_list_count_is_grouped_under_the_utilitys_name(client, city, many_orders):
    client.force_login(city.admin)
    page = client.get("/admin/desk/workorder/").content.decode()
    assert '<span id="result-count">1,234</span>' in page
    assert f" | {settings.SITE_NAME}</title>" in page


def test_the_admin_order_page_labels_every_field_in_chinese(client, city, new_order):
    client.force_login(city.admin)
    order = new_order()
    page = client.get(f"/admin/desk/workorder/{order.pk}/change/").content.decode()
    for chinese in ("挂起前状态", "当前时限", "预警时间", "暂停时间", "版本"):
        assert chinese in page
    for english in ("State before suspend", "Current due", "Warn at", "Paused at"):
        assert english not in page


def test_alarm_figures_of_a_thousand_and_more_are_grouped():
    from mains.telemetry.alarms.evidence import show

    with translation.override("zh-hans"):
        assert show("night_flow_m3h", 1234.5) == "1,234 m³/h"
        assert show("volume_litres", 25000) == "25,000 L"
        assert show("flow_m3h", 95.6907) == "95.69 m³/h"


def test_the_board_header_groups_the_count_in_its_plural_sentence(client, city, many_orders):
    client.force_login(city.dispatcher)
    with time_machine.travel(RECEIVED, tick=False):
        page = client.get("/desk/board/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "1,234 个在办工单" in page
    with time_machine.travel(RECEIVED, tick=False):
        page = client.get("/desk/board/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1,234 open orders" in page


@pytest.mark.parametrize(
    ("households", "zh", "en"), [(1200, "1,200 户", "1,200 households"), (1, "1 户", "1 household")]
)
def test_households_are_grouped_and_still_pick_the_plural(city, households, zh, en):
    community = city.xingguang
    community.households = households
    template = Template('{% include "desk/partials/community_card.html" %}')
    for language, expected in (("zh-hans", zh), ("en", en)):
        with translation.override(language):
            out = template.render(Context({"community": community}))
        assert expected in out, (language, out)
