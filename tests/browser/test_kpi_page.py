"""Issue 11, in a real browser: a manager opening the KPIs on 2 December sees November,
each figure beside its target (red with text when worse), and a click on a figure lands
on the order list filtered to the orders behind it — on a desktop and on a phone."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mains.desk.actions import do_accept
from mains.desk.models import KpiTarget
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

SHANGHAI = ZoneInfo("Asia/Shanghai")
ON_THE_2ND = datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def november(city, new_order):
    """Three November leaks (accept within 10 minutes): on time, late, not yet accepted."""
    orders = []
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI)) as clock:
        for day, accept_after in ((10, 5), (11, 25), (12, None)):
            clock.move_to(datetime(2026, 11, day, 9, 0, tzinfo=SHANGHAI))
            order = new_order()
            if accept_after is not None:
                clock.move_to(order.received_at + timedelta(minutes=accept_after))
                do_accept(order, city.sam)
            orders.append(order)
    KpiTarget.objects.create(kpi="on_time_acceptance", target=Decimal("90"))
    return orders


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_manager_sees_last_month_and_drills_down_to_the_late_order(visit, city, november, phone):
    late = november[1]
    with time_machine.travel(ON_THE_2ND):
        manager = visit("max", phone=phone)
        page = manager.page
        assert manager.path_matches(r"/desk/kpis/$"), "a manager lands on the KPI page"
        assert page.inner_text("#kpi-period") == "2026-11-01 – 2026-11-30"
        assert "上月" in page.inner_text("#kpi-period-note")
        assert "本月才过去 2 天" in page.inner_text("#kpi-default-note")
        card = page.locator("#kpi-card-on_time_acceptance")
        assert card.locator(".fs-4").inner_text().strip() == "50.0%"
        assert "未达标" in card.inner_text() and "目标 ≥ 90.0%" in card.inner_text()
        page.locator("#chart-orders canvas").wait_for()
        name = "kpi-page-mobile" if phone else "kpi-page"
        manager.shoot(f"11-{name}")

        card.locator("a.kpi-figure").click()
        page.wait_for_url("**/desk/orders/?*kpi=accepted_late*")
        assert page.inner_text("#drill-down-count") == "1 个工单"
        assert "签收超时" in page.inner_text("#drill-down")
        rows = page.locator("table tbody tr")
        assert rows.count() == 1 and late.number in rows.first.inner_text()
        manager.shoot(f"12-{name}-drill-down")
        page.locator("#drill-down-back").click()
        page.wait_for_url("**/desk/kpis/?start=2026-11-01&end=2026-11-30")
        assert page.inner_text("#kpi-period") == "2026-11-01 – 2026-11-30"
