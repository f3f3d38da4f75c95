"""The KPI page, its figures and its Excel export (definitions in mains/desk/kpis.py).

A hand-made November 2026, one order a day at 09:00 (Asia/Shanghai), walked through the
real actions with a frozen clock:

east (星光水晶城, sam)                              west (锦绣家园, tom)
  A  Nov 2  leak       all on time, satisfied, closed    G  Nov 11 leak  dispatched, open
  B  Nov 3  leak       all late, fairly satisfied        H  Nov 12 leak  all on time, satisfied
  C  Nov 4  leak       on time, unsatisfied → re-done, on time again, satisfied
  D  Nov 5  complaint  no visit needed, on time, resolved, not yet called back
  E  Nov 6  leak       cancelled
  F  Nov 9  leak       on time, resolved, resident not reached
  K  Nov 10 leak       accepted on time, open
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from mains.desk import kpi_counts, kpis, rollup
from mains.desk.actions import (
    do_accept,
    do_arrive,
    do_callback,
    do_cancel,
    do_close,
    do_resolve,
)
from mains.desk.kpi_targets import do_set_kpi_targets
from mains.desk.models import WorkOrder
from mains.desk.views.kpis import percent

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = kpi_counts.Period(date(2026, 11, 1), date(2026, 11, 30))
TODAY = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def local(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def walk(clock, order, by, *, accept=None, arrive=None, resolve=None):
    """Accept, arrive and resolve `order` so many minutes after the clock's time now."""
    start = datetime.now(tz=SHANGHAI)
    for minutes, act in ((accept, do_accept), (arrive, do_arrive)):
        if minutes is not None:
            clock.move_to(start + timedelta(minutes=minutes))
            act(order, by)
    if resolve is not None:
        clock.move_to(start + timedelta(minutes=resolve))
        do_resolve(order, by, "已更换水表")


def call_back(clock, order, by, result, after_minutes=30):
    clock.move_to(datetime.now(tz=SHANGHAI) + timedelta(minutes=after_minutes))
    do_callback(order, by, result)


@pytest.fixture
def november(city, new_order, clock):
    """The orders of the module docstring; the clock is left at TODAY."""
    orders = {}

    def receive(name, day, **fields):
        clock.move_to(local(day))
        orders[name] = new_order(**fields)
        return orders[name]

    sam, tom, agent = city.sam, city.tom, city.agent
    # leak: accept in 10 min, on site in 60 min, resolve in 480 min, round the clock
    a = receive("A", 2)
    walk(clock, a, sam, accept=5, arrive=30, resolve=120)
    call_back(clock, a, agent, "satisfied")
    do_close(a, agent)
    b = receive("B", 3)
    walk(clock, b, sam, accept=20, arrive=90, resolve=600)
    call_back(clock, b, agent, "fairly")
    c = receive("C", 4)
    walk(clock, c, sam, accept=5, arrive=30, resolve=120)
    call_back(clock, c, agent, "unsatisfied")
    walk(clock, c, sam, accept=5, arrive=30, resolve=120)
    call_back(clock, c, agent, "satisfied")
    # complaint: accept in 60 working minutes, resolve in 3 working days, no visit
    d = receive("D", 5, category=city.complaint)
    walk(clock, d, sam, accept=10, resolve=60)
    e = receive("E", 6)
    do_cancel(e, city.dispatcher, "重复来电")
    f = receive("F", 9)
    walk(clock, f, sam, accept=5, arrive=30, resolve=120)
    call_back(clock, f, agent, "unreachable")
    k = receive("K", 10)
    walk(clock, k, sam, accept=5)
    receive("G", 11, community=city.jinxiu)
    h = receive("H", 12, community=city.jinxiu)
    walk(clock, h, tom, accept=5, arrive=30, resolve=120)
    call_back(clock, h, agent, "satisfied")
    clock.move_to(TODAY)
    return orders


def figures(row: dict) -> dict:
    return {name: percent(row[name]) for name in kpi_counts.RATES}


def by(grouping: str) -> list[dict]:
    return kpis.kpis_by(WorkOrder.objects.all(), NOVEMBER, grouping)


EAST = {
    "on_time_acceptance": "83.3%",  # A C D F K of A B C D F K
    "timeliness": "75.0%",  # A C F of A B C F (D needs no visit, K has not arrived)
    "closure_rate": "83.3%",  # A B C D F of the 6 not cancelled
    "on_time_closure": "80.0%",  # A C D F of A B C D F
    "callback_rate": "60.0%",  # A B C of the 5 resolved (F not reached)
    "satisfaction": "75.0%",  # A B C(2nd) of A B C(1st) C(2nd)
    "redo_rate": "20.0%",  # C of the 5 resolved
}
WEST = {
    "on_time_acceptance": "100.0%",
    "timeliness": "100.0%",
    "closure_rate": "50.0%",
    "on_time_closure": "100.0%",
    "callback_rate": "100.0%",
    "satisfaction": "100.0%",
    "redo_rate": "0.0%",
}
TOTAL = {
    "on_time_acceptance": "85.7%",
    "timeliness": "80.0%",
    "closure_rate": "75.0%",
    "on_time_closure": "83.3%",
    "callback_rate": "66.7%",
    "satisfaction": "80.0%",
    "redo_rate": "16.7%",
}


def test_it_computes_each_kpi_per_unit(november, city):
    rows = {row["label"]: row for row in by("unit")}
    assert set(rows) == {city.east.name, city.west.name}
    east, west = rows[city.east.name], rows[city.west.name]
    assert (east["received"], east["not_cancelled"], east["resolved"]) == (7, 6, 5)
    assert (east["callbacks"], east["satisfied_callbacks"], east["called_back"]) == (4, 3, 3)
    assert figures(east) == EAST
    assert west["received"] == 2
    assert figures(west) == WEST


def test_the_totals_row_counts_every_order_once(november):
    rows = by("grid")
    total = kpis.summed(rows)
    assert total["received"] == 9
    assert figures(total) == TOTAL
    for grouping in ("unit", "specialist", "category"):
        assert kpis.summed(by(grouping)) == total


def test_a_rate_without_a_denominator_is_a_dash(november, city):
    rows = {row["label"]: row for row in by("category")}
    complaint = rows[city.complaint.name]
    assert complaint["timeliness"] is None
    assert complaint["satisfaction"] is None
    assert figures(complaint)["timeliness"] == "—"
    assert figures(complaint)["on_time_acceptance"] == "100.0%"
    assert figures(complaint)["callback_rate"] == "0.0%"


def test_each_specialist_and_grid_gets_their_orders(november, city):
    by_specialist = {r["label"]: r["received"] for r in by("specialist")}
    assert by_specialist == {"孙明": 7, "唐涛": 2}
    by_grid = {r["label"]: r["received"] for r in by("grid")}
    assert by_grid == {"E01 东关网格": 7, "W01 西湖网格": 2}


def test_orders_without_a_unit_form_their_own_row_last(city, new_order, clock):
    new_order(community=None, address="不明地址")
    rows = by("unit")
    assert [row["label"] for row in rows] == [None]
    new_order()
    rows = by("unit")
    assert [row["label"] for row in rows] == [city.east.name, None]


def test_a_reopened_order_counts_as_resolved_only_once_resolved_again(city, new_order, clock):
    clock.move_to(local(2))
    order = new_order()
    walk(clock, order, city.sam, accept=5, arrive=30, resolve=120)
    call_back(clock, order, city.agent, "unsatisfied")
    (east,) = by("unit")
    assert (east["resolved"], east["called_back"]) == (0, 0)
    assert (east["callbacks"], east["satisfied_callbacks"]) == (1, 0)
    assert figures(east)["satisfaction"] == "0.0%"
    walk(clock, order, city.sam, accept=5, arrive=30, resolve=120)
    (east,) = by("unit")
    assert (east["resolved"], east["redone"], east["called_back"]) == (1, 1, 1)
    assert figures(east)["redo_rate"] == "100.0%"


def test_the_redo_rate_counts_an_order_as_soon_as_it_is_reopened(city, new_order, clock):
    clock.move_to(local(2))
    done_once = new_order()
    walk(clock, done_once, city.sam, accept=5, arrive=30, resolve=120)
    call_back(clock, done_once, city.agent, "satisfied")
    reopened = new_order()
    walk(clock, reopened, city.sam, accept=5, arrive=30, resolve=120)
    call_back(clock, reopened, city.agent, "unsatisfied")
    (east,) = by("unit")
    assert (east["worked"], east["redone"]) == (2, 1)
    assert figures(east)["redo_rate"] == "50.0%"


def test_the_daily_series_has_every_day_and_the_same_figures(november):
    daily = kpis.kpis_by_day(WorkOrder.objects.all(), NOVEMBER)
    assert [row["day"] for row in daily] == NOVEMBER.days()
    by_day = {row["day"]: row for row in daily}
    assert by_day[date(2026, 11, 3)]["received"] == 1
    assert by_day[date(2026, 11, 3)]["on_time_acceptance"] == 0
    assert by_day[date(2026, 11, 2)]["on_time_closure"] == 1
    assert by_day[date(2026, 11, 1)]["received"] == 0
    assert by_day[date(2026, 11, 1)]["on_time_acceptance"] is None
    assert figures(kpis.summed(daily)) == TOTAL


def test_orders_belong_to_the_local_day_they_were_received(city, new_order, clock):
    clock.move_to(local(31, 23, 59, month=10))  # 15:59 UTC on 31 October
    late_october = new_order()
    clock.move_to(local(1, 0, 1))  # 16:01 UTC on 31 October, but 1 November in Shanghai
    early_november = new_order()
    orders = WorkOrder.objects.all()
    assert list(kpi_counts.orders_in(orders, NOVEMBER)) == [early_november]
    october = kpi_counts.preset_period("last_month", date(2026, 11, 20))
    assert list(kpi_counts.orders_in(orders, october)) == [late_october]
    daily = kpis.kpis_by_day(orders, NOVEMBER)
    assert daily[0]["received"] == 1
    per_category = kpis.orders_per_day_by_category(orders, NOVEMBER)
    assert per_category[0]["counts"][0] == 1


def test_days_are_local_also_where_the_clocks_change(settings, city, new_order, clock):
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    clock.move_to(datetime(2026, 10, 25, 0, 30, tzinfo=berlin))  # before the change at 03:00
    new_order()
    clock.move_to(datetime(2026, 10, 25, 23, 30, tzinfo=berlin))  # 22:30 UTC, still the 25th
    new_order()
    period = kpi_counts.Period(date(2026, 10, 24), date(2026, 10, 26))
    assert kpi_counts.LocalDate("received_at", period).offset_minutes is None
    daily = kpis.kpis_by_day(WorkOrder.objects.all(), period)
    assert [row["received"] for row in daily] == [0, 2, 0]


def test_the_presets_cover_the_right_days():
    today = date(2026, 3, 15)
    assert kpi_counts.preset_period("this_month", today) == kpi_counts.Period(
        date(2026, 3, 1), today
    )
    assert kpi_counts.preset_period("last_month", today) == kpi_counts.Period(
        date(2026, 2, 1), date(2026, 2, 28)
    )
    assert kpi_counts.preset_period("last_7_days", today) == kpi_counts.Period(
        date(2026, 3, 9), today
    )


def test_top_communities_are_ranked_by_orders(november, city):
    top = kpis.top_communities(WorkOrder.objects.all(), NOVEMBER)
    assert top == [
        {"community": "星光水晶城", "received": 7},
        {"community": "锦绣家园", "received": 2},
    ]


def test_the_page_shows_the_figures_of_the_month(client, november, city):
    client.force_login(city.manager)
    response = client.get("/desk/kpis/", {"period": "this_month", "group": "category"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-11-01 – 2026-11-20" in page
    for text in TOTAL.values():
        assert text in page
    assert "—" in page  # the complaint needs no visit: no timeliness
    assert 'id="kpi-charts-data"' in page and "echarts.min.js" in page
    charts = response.context["charts"]
    assert len(charts["days"]) == 20
    assert charts["acceptance"][1] == 100.0 and charts["acceptance"][2] == 0.0


def test_a_unit_manager_sees_only_the_orders_of_their_unit(client, november, city):
    client.force_login(city.unit_manager)
    response = client.get("/desk/kpis/", {"start": "2026-11-01", "end": "2026-11-30"})
    assert response.status_code == 200
    assert [row["label"] for row in response.context["rows"]] == [city.east.name]
    assert response.context["total"]["received"] == 7
    assert figures(response.context["total"]) == EAST
    assert city.west.name not in response.content.decode()
    assert "锦绣家园" not in response.content.decode()


def test_roles_without_kpis_are_refused(client, city):
    for user in (city.agent, city.sam):
        client.force_login(user)
        assert client.get("/desk/kpis/").status_code == 403
        assert client.get("/desk/kpis/export.xlsx").status_code == 403


def test_an_empty_period_says_what_to_do(client, city, clock):
    client.force_login(city.manager)
    response = client.get("/desk/kpis/", {"period": "last_7_days"})
    page = response.content.decode()
    assert 'id="kpi-empty"' in page
    assert "2026-11-14" in page and "kpi-export" not in page


@pytest.mark.parametrize(
    "query, message",
    [
        (
            {"start": "2026-11-30", "end": "2026-11-01"},
            "The start date must not be after the end date.",
        ),
        ({"start": "2026-11-01", "end": "1.11.26"}, "Enter the end date as 2026-11-30."),
        ({"start": "2026-11-01", "period": "custom"}, "Enter both dates, from and to."),
        ({"start": "2024-01-01", "end": "2026-11-01"}, "Choose at most 366 days."),
    ],
)
def test_bad_dates_are_refused_with_what_was_typed_kept(client, city, clock, query, message):
    client.force_login(city.manager)
    response = client.get("/desk/kpis/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{query["start"]}"' in page
    export = client.get("/desk/kpis/export.xlsx", query)
    assert export.status_code == 302 and export.url.startswith("/desk/kpis/?")


def test_an_unknown_grouping_falls_back_to_units(client, city, november):
    client.force_login(city.manager)
    response = client.get("/desk/kpis/", {"period": "this_month", "group": "nonsense"})
    assert response.status_code == 200
    assert response.context["group"] == "unit"


def test_the_export_holds_every_table_with_the_same_figures(client, november, city):
    client.force_login(city.manager)
    response = client.get("/desk/kpis/export.xlsx", {"start": "2026-11-01", "end": "2026-11-30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Comparison",
        "By unit",
        "By grid",
        "By specialist",
        "By category",
        "Daily",
        "Orders per day by category",
        "Top communities",
    ]
    header = [cell.value for cell in book["By unit"][1]]
    rates = [
        header.index(str(label))
        for label in (
            "On-time acceptance",
            "Timeliness",
            "Closure rate",
            "On-time closure",
            "Callback rate",
            "Satisfaction",
            "Re-do rate",
        )
    ]
    sheet_rows = {row[0]: row for row in book["By unit"].iter_rows(min_row=2, values_only=True)}

    def shown(row):
        return dict(
            zip(
                kpi_counts.RATES,
                [row[i] if row[i] == "—" else percent(row[i]) for i in rates],
                strict=True,
            )
        )

    assert shown(sheet_rows[city.east.name]) == EAST
    assert shown(sheet_rows[city.west.name]) == WEST
    assert shown(sheet_rows["Total"]) == TOTAL
    assert sheet_rows["Total"][header.index("Received")] == 9
    assert book["By unit"].cell(row=2, column=rates[0] + 1).number_format == "0.0%"
    category = {row[0]: row for row in book["By category"].iter_rows(min_row=2, values_only=True)}
    assert shown(category[city.complaint.name])["timeliness"] == "—"
    daily = list(book["Daily"].iter_rows(min_row=2, values_only=True))
    assert len(daily) == 31 and daily[-1][0] == "Total" and shown(daily[-1]) == TOTAL
    per_category = list(book["Orders per day by category"].iter_rows(values_only=True))
    assert per_category[0][1:] == (city.complaint.name, city.leak.name)
    assert per_category[5][1:] == (1, 0)  # 5 November: the complaint
    top = list(book["Top communities"].iter_rows(min_row=2, values_only=True))
    assert top[0][:3] == (1, "星光水晶城", 7)
    assert top[0][3] == pytest.approx(7 / 9)


def test_the_export_compares_each_rate_with_the_previous_period_and_its_target_as_the_page(
    client, november, city, new_order, clock
):
    clock.move_to(local(15, month=10))
    october = new_order()
    walk(clock, october, city.sam, accept=20, arrive=30, resolve=120)  # accepted late
    do_set_kpi_targets(
        city.admin,
        {
            "on_time_acceptance": (Decimal("95"), "higher"),
            "satisfaction": (Decimal("70"), "higher"),
            "redo_rate": (Decimal("5"), "lower"),
        },
    )
    clock.move_to(TODAY)
    client.force_login(city.manager)
    query = {"start": "2026-11-01", "end": "2026-11-30"}
    cards = {card["key"]: card for card in client.get("/desk/kpis/", query).context["summary"]}
    book = load_workbook(BytesIO(client.get("/desk/kpis/export.xlsx", query).content))
    sheet = book["Comparison"]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "KPI",
        "This period (2026-11-01 – 2026-11-30)",
        "Previous period (2026-10-01 – 2026-10-31)",
        "Change (percentage points)",
        "Target",
        "Better when",
        "Target met",
    ]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for key, card in cards.items():
        label, now, before, change, target, better, met = rows[str(card["label"])]
        assert (percent(now) if now != "—" else now) == card["text"] == TOTAL[key]
        assert (percent(before) if before != "—" else before) == card["previous"]
        if key in ("on_time_acceptance", "satisfaction", "redo_rate"):
            assert f"{target * 100:.1f}%" in card["target"]
            assert met == ("Not met" if card["missed"] else "Met")
        else:
            assert target == "—" and met == "—" and card["target"] == ""
    assert rows["On-time acceptance"][2] == 0 and rows["On-time acceptance"][3] == 85.7
    assert rows["On-time acceptance"][6] == "Not met"  # 85.7 % under 95 %
    assert rows["Satisfaction"][6] == "Met"
    assert rows["Re-do rate"][5] == "Lower is better" and rows["Re-do rate"][6] == "Not met"
    assert rows["Orders received"][1:4] == (9, 1, 8)
    assert sheet.cell(row=2, column=2).number_format == "0.0%"


def make_orders(new_order, clock, count: int, start: int) -> None:
    for n in range(count):
        clock.move_to(local(1 + (start + n) % 19, 9 + n % 8))
        new_order()


# The session and the user, the targets, the orders with an unsatisfied callback, then per
# table (the period's, the previous period's, the daily series, per category, the top
# communities): which days the rollup answers for, its sums, the groups' names, and the
# orders and callbacks of the days it does not (today).
PAGE_QUERIES = 22


def page_queries(client, django_assert_max_num_queries, user) -> int:
    client.force_login(user)
    with django_assert_max_num_queries(PAGE_QUERIES) as captured:
        response = client.get("/desk/kpis/", {"period": "this_month"})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_query_count_is_bounded_and_does_not_grow(
    client, city, new_order, clock, django_assert_max_num_queries
):
    make_orders(new_order, clock, 3, start=0)
    clock.move_to(TODAY)
    few = page_queries(client, django_assert_max_num_queries, city.unit_manager)
    make_orders(new_order, clock, 12, start=3)
    clock.move_to(TODAY)
    many = page_queries(client, django_assert_max_num_queries, city.unit_manager)
    assert few == many
    assert page_queries(client, django_assert_max_num_queries, city.manager) <= many
    rollup.refresh(everything=True)  # the days before today from the rollup
    counted = page_queries(client, django_assert_max_num_queries, city.unit_manager)
    make_orders(new_order, clock, 12, start=7)
    clock.move_to(TODAY)
    rollup.refresh()
    assert page_queries(client, django_assert_max_num_queries, city.unit_manager) == counted
