"""The KPI page as a manager reads it at month end: the period shown by default, each
figure beside the previous period and its target, and every figure a link to the orders
behind it (the November of tests/desk/test_kpis.py)."""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from mains.desk import kpi_counts
from mains.desk.kpi_orders import MISSES
from mains.desk.models import KpiTarget
from mains.desk.views.kpi_figures import previous_period, top_categories, trend_floor
from tests.desk import test_kpis as base

SHANGHAI, TOTAL = base.SHANGHAI, base.TOTAL
# The November of tests/desk/test_kpis.py, its frozen clock and English pages.
clock, november, _in_english = base.clock, base.november, base._in_english

URL = "/desk/kpis/"


def page(client, user, **query):
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return response


def cards(response) -> dict:
    return {card["key"]: card for card in response.context["summary"]}


def listed(client, url: str) -> int:
    """How many orders the order list says match, checked against its rows."""
    response = client.get(url)
    assert response.status_code == 200
    drill_down = response.context["drill_down"]
    assert not drill_down["form"].errors
    count = drill_down["count"]
    assert count == len(list(response.context["page"]))  # all on one page here
    assert f">{count} order" in response.content.decode()
    return count


@pytest.mark.parametrize(
    "today, shown",
    [
        (date(2026, 12, 2), kpi_counts.Period(date(2026, 11, 1), date(2026, 11, 30))),
        (date(2026, 12, 7), kpi_counts.Period(date(2026, 11, 1), date(2026, 11, 30))),
        (date(2026, 12, 8), kpi_counts.Period(date(2026, 12, 1), date(2026, 12, 8))),
        (date(2027, 1, 3), kpi_counts.Period(date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_a_manager_lands_on_the_last_complete_month_while_this_one_is_young(
    client, city, today, shown
):
    with time_machine.travel(
        datetime.combine(today, datetime.min.time(), SHANGHAI).replace(hour=9)
    ):
        response = page(client, city.manager)
    assert response.context["period"] == shown
    text = response.content.decode()
    label = "Last month" if shown.start.month != today.month else "This month"
    assert f"Shown: {label}, {shown.start:%Y-%m-%d} – {shown.end:%Y-%m-%d}." in text
    assert 'id="kpi-default-note"' in text
    if label == "Last month":
        assert f"this month is only {today.day} days old" in text


def test_a_period_asked_for_is_not_called_a_default(client, city, clock):
    response = page(client, city.manager, period="last_7_days")
    assert response.context["preset"] == "last_7_days"
    assert 'id="kpi-default-note"' not in response.content.decode()


@pytest.mark.parametrize(
    "shown, before",
    [
        ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 1), date(2026, 10, 31))),
        ((date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 31))),
        ((date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
        ((date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 3, 31))),
        ((date(2026, 12, 1), date(2026, 12, 8)), (date(2026, 11, 23), date(2026, 11, 30))),
        ((date(2026, 11, 11), date(2026, 11, 12)), (date(2026, 11, 9), date(2026, 11, 10))),
    ],
)
def test_the_previous_period_is_as_long_and_ends_the_day_before(shown, before):
    assert previous_period(kpi_counts.Period(*shown)) == kpi_counts.Period(*before)


def test_each_figure_stands_beside_the_previous_period(client, november, city):
    # 11–12 November (G open, H all on time and satisfied) against 9–10 November
    # (F resolved but the resident not reached, K accepted and open).
    response = page(client, city.manager, start="2026-11-11", end="2026-11-12")
    assert response.context["previous"] == kpi_counts.Period(date(2026, 11, 9), date(2026, 11, 10))
    shown = cards(response)
    assert shown["callback_rate"]["text"] == "100.0%"
    assert shown["callback_rate"]["previous"] == "0.0%"
    assert shown["callback_rate"]["change"] == {"text": "+100.0 pts", "better": True}
    assert shown["closure_rate"]["previous"] == "50.0%"
    assert shown["closure_rate"]["change"]["text"] == "no change"
    assert response.context["previous_total"]["received"] == 2
    text = response.content.decode()
    assert "Compared with the previous period, 2026-11-09 – 2026-11-10." in text
    assert "Previous: 0.0%" in text and "(+100.0 pts, better)" in text


def test_a_higher_re_do_rate_than_before_reads_as_worse(client, november, city):
    # 4 November (C re-done) against 3 November (B, not re-done)
    response = page(client, city.manager, start="2026-11-04", end="2026-11-04")
    redo = cards(response)["redo_rate"]
    assert (redo["text"], redo["previous"]) == ("100.0%", "0.0%")
    assert redo["change"] == {"text": "+100.0 pts", "better": False}
    assert "(+100.0 pts, worse)" in response.content.decode()


def test_a_figure_worse_than_its_target_is_red_and_says_so(client, november, city):
    KpiTarget.objects.create(kpi="on_time_acceptance", target=Decimal("90"))
    KpiTarget.objects.create(kpi="satisfaction", target=Decimal("80.0"))
    KpiTarget.objects.create(kpi="redo_rate", target=Decimal("10"), direction="lower")
    response = page(client, city.manager, start="2026-11-01", end="2026-11-30")
    shown = cards(response)
    assert shown["on_time_acceptance"]["text"] == TOTAL["on_time_acceptance"]  # 85.7%
    assert shown["on_time_acceptance"]["missed"]
    assert shown["redo_rate"]["missed"]  # 16.7% where at most 10% is the goal
    assert not shown["satisfaction"]["missed"]  # 80.0% meets 80.0%
    assert shown["timeliness"]["target"] == ""
    text = response.content.decode()
    card = text[text.index('id="kpi-card-on_time_acceptance"') :]
    card = card[: card.index('id="kpi-card-timeliness"')]
    before_card = text[: text.index('id="kpi-card-on_time_acceptance"')]
    assert "border-danger kpi-missed" in before_card[-80:]
    assert "Target ≥ 90.0%" in card and "below target" in card
    assert "Target ≤ 10.0%" in text and "Target ≥ 80.0%" in text and "on target" in text
    assert "Red with ✗: worse than its target." in text
    rows = {row["label"]: row for row in response.context["rows"]}
    east = {cell["key"]: cell for cell in rows[city.east.name]["cells"]}
    west = {cell["key"]: cell for cell in rows[city.west.name]["cells"]}
    assert east["on_time_acceptance"]["missed"] and not west["on_time_acceptance"]["missed"]
    assert text.count('✗</span><span class="visually-hidden">below target') >= 3


def test_a_rate_without_orders_misses_no_target():
    target = KpiTarget(kpi="timeliness", target=Decimal("95"))
    assert not target.missed_by(None)
    assert target.missed_by(0.949) and not target.missed_by(0.95)
    lower = KpiTarget(kpi="redo_rate", target=Decimal("5"), direction="lower")
    assert lower.missed_by(0.051) and not lower.missed_by(0.05)


def test_every_summary_figure_lists_as_many_orders_as_it_counts(client, november, city):
    response = page(client, city.manager, start="2026-11-01", end="2026-11-30")
    total = response.context["total"]
    assert listed(client, total["orders_url"]) == total["received"] == 9
    for key, card in cards(response).items():
        assert parse_qs(urlsplit(card["url"]).query)["kpi"] == [MISSES[key]]
        assert listed(client, card["url"]) == card["misses"], key
        if card["out_of_url"]:
            denominator = total[kpi_counts.RATES[key][1]]
            assert listed(client, card["out_of_url"]) == denominator, key
    shown = cards(response)
    assert shown["on_time_acceptance"]["misses"] == 1  # B
    assert shown["closure_rate"]["misses"] == 2  # K and G are open
    assert shown["satisfaction"]["misses"] == 1  # C's first callback


@pytest.mark.parametrize("group", ["unit", "grid", "specialist", "category"])
def test_every_figure_of_a_table_row_lists_its_orders(client, november, city, group):
    response = page(client, city.manager, start="2026-11-01", end="2026-11-30", group=group)
    for row in response.context["rows"]:
        assert listed(client, row["orders_url"]) == row["received"]
        for cell in row["cells"]:
            if cell["url"] and cell["key"] != "satisfaction":
                assert listed(client, cell["url"]) == cell["misses"], (row["label"], cell)


def test_a_day_of_the_daily_table_lists_that_days_orders(client, november, city):
    response = page(client, city.manager, start="2026-11-01", end="2026-11-30")
    third = next(row for row in response.context["daily"] if row["day"] == date(2026, 11, 3))
    assert listed(client, third["orders_url"]) == 1
    late = next(c for c in third["cells"] if c["key"] == "on_time_acceptance")
    assert listed(client, late["url"]) == 1
    detail = client.get(late["url"])
    assert "accepted late" in detail.content.decode()


def test_orders_without_a_unit_have_their_own_drill_down(client, city, new_order, clock):
    new_order(community=None, address="不明地址")
    new_order()
    response = page(client, city.manager, period="this_month")
    counts = {row["label"]: listed(client, row["orders_url"]) for row in response.context["rows"]}
    assert counts == {city.east.name: 1, None: 1}


def test_a_unit_manager_following_another_units_link_finds_nothing(client, november, city):
    response = page(client, city.manager, start="2026-11-01", end="2026-11-30")
    west = next(row for row in response.context["rows"] if row["label"] == city.west.name)
    client.force_login(city.unit_manager)
    assert listed(client, west["orders_url"]) == 0


@pytest.mark.parametrize(
    "query, message",
    [
        ({"received_from": "1.11.26"}, "Enter the first day received as 2026-11-01."),
        ({"kpi": "nonsense"}, "This KPI filter is unknown: open it from the KPI page."),
        ({"unit": "east"}, "Choose a group from the KPI page."),
        (
            {"received_from": "2026-11-30", "received_to": "2026-11-01"},
            "The first day must not be after the last day.",
        ),
    ],
)
def test_a_bad_drill_down_says_so_and_keeps_what_was_typed(client, city, clock, query, message):
    client.force_login(city.manager)
    response = client.get("/desk/orders/", query)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and "These filters were not applied." in text
    for name, value in query.items():
        assert f'name="{name}" value="{value}"' in text


def test_the_drill_down_list_query_count_does_not_grow(
    client, city, new_order, clock, django_assert_max_num_queries
):
    client.force_login(city.manager)
    url = f"/desk/orders/?received_from=2026-11-01&received_to=2026-11-30&unit={city.east.pk}"

    def queries() -> int:
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url + "&kpi=accepted").status_code == 200
        return len(captured.captured_queries)

    order = new_order()
    from mains.desk.actions import do_accept

    do_accept(order, city.sam)
    few = queries()
    for _n in range(5):
        do_accept(new_order(), city.sam)
    assert queries() == few


def test_the_trend_axis_starts_a_little_under_the_lowest_day():
    assert trend_floor([[95.0, 88.2, None], [99.0]]) == 80
    assert trend_floor([[100.0], [97.5]]) == 90
    assert trend_floor([[None], []]) == 0
    assert trend_floor([[3.0]]) == 0


def test_the_category_chart_shows_the_top_six_and_the_rest_as_other():
    series = [{"category": f"c{n}", "counts": [n, 1]} for n in range(9)]
    shown = top_categories(series, 2)
    assert [s["name"] for s in shown] == [
        "c8",
        "c7",
        "c6",
        "c5",
        "c4",
        "c3",
        "Other (3 categories)",
    ]
    assert shown[-1] == {"name": "Other (3 categories)", "data": [0 + 1 + 2, 3], "other": True}
    seven = top_categories(series[:7], 2)
    assert len(seven) == 7 and not any(s["other"] for s in seven)


def test_the_page_sends_the_chart_its_axis_and_categories(client, november, city):
    response = page(client, city.manager, start="2026-11-01", end="2026-11-30")
    charts = response.context["charts"]
    assert charts["sla_min"] == 0  # 3 November: nothing accepted on time
    assert [c["name"] for c in charts["categories"]] == [city.leak.name, city.complaint.name]


def test_an_order_called_back_unsatisfied_twice_is_listed_once(client, city, new_order, clock):
    clock.move_to(base.local(2))
    order = new_order()
    for _time in range(2):
        base.walk(clock, order, city.sam, accept=5, arrive=30, resolve=120)
        base.call_back(clock, order, city.agent, "unsatisfied")
    clock.move_to(base.TODAY)
    response = page(client, city.manager, period="this_month")
    satisfaction = cards(response)["satisfaction"]
    assert satisfaction["hint"] == "0 / 2"  # two callbacks, neither satisfied
    assert satisfaction["misses"] == 1
    assert listed(client, satisfaction["url"]) == 1


def test_a_long_period_is_tabled_by_week_and_each_week_lists_its_orders(client, november, city):
    response = page(client, city.manager, start="2026-08-01", end="2026-11-30")
    assert response.context["weekly"]
    weeks = response.context["daily"]
    # 2026-08-01 is a Saturday: the first week is cut at the period's start.
    assert weeks[0]["label"] == "2026-08-01 – 08-02"
    assert weeks[1]["label"] == "2026-08-03 – 08-09"
    assert weeks[-1]["label"] == "2026-11-30 – 11-30"
    assert sum(week["received"] for week in weeks) == response.context["total"]["received"]
    busy = [week for week in weeks if week["received"]]
    assert busy
    for week in busy:
        assert listed(client, week["orders_url"]) == week["received"]
    per_category = response.context["per_category_rows"]
    assert [label for label, _counts in per_category] == [week["label"] for week in weeks]
    assert (
        sum(sum(counts) for _label, counts in per_category) == response.context["total"]["received"]
    )
    # The charts keep every day.
    assert len(response.context["charts"]["days"]) == 122
    assert "Week by week" in response.content.decode()


def test_two_months_are_still_tabled_by_day(client, november, city):
    response = page(client, city.manager, start="2026-10-01", end="2026-11-30")
    assert not response.context["weekly"]
    assert len(response.context["daily"]) == 61
    assert "Day by day" in response.content.decode()
