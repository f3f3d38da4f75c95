import json
from datetime import UTC, datetime, timedelta

import pytest

from mains.telemetry.alarms.actions import do_raise_alarm
from mains.telemetry.alarms.evidence import evidence, show
from mains.telemetry.detect import night_flow
from mains.telemetry.models import Alarm, Meter, QuarantinedReading
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.schema import Reading
from tests.telemetry import test_detect_night_flow as night_detector

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def meter(city):
    meter = Meter.objects.create(code="XG-M1", community=city.xingguang)
    write_readings([Reading("XG-M1", T0 + i * timedelta(minutes=15), 40.0, 0.3) for i in range(8)])
    return meter


@pytest.fixture
def burst(meter):
    detail = {
        "onset": T0.isoformat(),
        "reference_flow_m3h": 40.0,
        "reference_pressure_mpa": 0.32,
        "flow_threshold_m3h": 52.0,
        "pressure_threshold_mpa": 0.27,
        "readings": [{"ts": T0.isoformat(), "flow_m3h": 95.0, "pressure_mpa": 0.21}],
    }
    return do_raise_alarm(meter, Alarm.Kind.BURST, T0, detail)


@pytest.mark.parametrize("who", ["engineer", "dispatcher", "manager", "admin"])
def test_the_network_watchers_see_open_alarms_by_grid(client, city, burst, who):
    client.force_login(getattr(city, who))
    response = client.get("/telemetry/alarms/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "E01" in page and "星光水晶城" in page
    assert "/telemetry/meters/XG-M1/" in page
    assert burst.work_order.number in page


@pytest.mark.parametrize("who", ["agent", "sam", "supervisor", "inspector", "unit_manager"])
def test_other_roles_may_not_open_the_telemetry_pages(client, city, meter, who):
    client.force_login(getattr(city, who))
    assert client.get("/telemetry/alarms/").status_code == 403
    assert client.get("/telemetry/meters/XG-M1/").status_code == 403


def test_the_alarm_list_says_what_to_expect_when_nothing_is_open(client, city):
    client.force_login(city.engineer)
    response = client.get("/telemetry/alarms/")
    assert 'id="no-alarms"' in response.content.decode()


def test_the_alarm_list_needs_few_queries(client, city, burst, django_assert_max_num_queries):
    client.force_login(city.engineer)
    with django_assert_max_num_queries(8):
        client.get("/telemetry/alarms/")


def test_the_engineer_lands_on_the_alarms_and_has_them_in_the_menu(client, city):
    client.force_login(city.engineer)
    assert client.get("/").url == "/telemetry/alarms/"
    assert 'href="/telemetry/alarms/"' in client.get("/desk/orders/").content.decode()


def test_the_meter_page_charts_flow_and_pressure_with_the_alarm(client, city, burst):
    client.force_login(city.engineer)
    response = client.get("/telemetry/meters/XG-M1/?hours=6")
    assert response.status_code == 200
    chart = response.context["chart"]
    # On the site's clock (Asia/Shanghai), as the tables show it, whatever the browser's.
    assert len(chart["flow"]) == 8 and chart["flow"][0] == ["2026-03-01T20:00:00", 40.0]
    assert chart["alarms"][0]["from"] == "2026-03-01T20:00:00"
    page = response.content.decode()
    assert 'id="meter-chart"' in page and "mains/telemetry.js" in page


def test_a_household_meter_is_charted_in_litres_an_hour_without_pressure(client, city):
    Meter.objects.create(code="XG-H1", kind="household", community=city.xingguang)
    write_readings([Reading("XG-H1", T0, 0.0042, None)])
    # Households are shown to those who route welfare visits (the engineer sees the rest).
    client.force_login(city.dispatcher)
    chart = client.get("/telemetry/meters/XG-H1/").context["chart"]
    assert chart["flow_unit"] == "L/h" and chart["flow"] == [["2026-03-01T20:00:00", 4.2]]
    assert chart["pressure"] == [] and chart["service_pressure_mpa"] is None


def test_the_meter_page_refuses_an_odd_window_kindly(client, city, meter):
    client.force_login(city.engineer)
    response = client.get("/telemetry/meters/XG-M1/?hours=5000")
    assert response.status_code == 200
    assert response.context["hours"] == 24
    assert "Choose one of the windows offered." in response.content.decode()


def test_a_meter_without_readings_says_how_to_import(client, city):
    Meter.objects.create(code="JX-M1", community=city.jinxiu)
    client.force_login(city.engineer)
    response = client.get("/telemetry/meters/JX-M1/")
    assert 'id="no-readings"' in response.content.decode()


def test_an_unknown_meter_is_not_found(client, city):
    client.force_login(city.engineer)
    assert client.get("/telemetry/meters/NOPE/").status_code == 404


def test_the_engineer_acknowledges_an_alarm_once(client, city, burst):
    client.force_login(city.engineer)
    response = client.post(f"/telemetry/alarms/{burst.pk}/acknowledge/")
    assert response.status_code == 302
    burst.refresh_from_db()
    assert burst.state == "acknowledged"
    page = client.get("/telemetry/alarms/").content.decode()
    assert "Acknowledge</button>" not in page and "XG-M1" in page


def test_acknowledging_is_refused_to_other_roles_and_for_cleared_alarms(client, city, burst):
    client.force_login(city.agent)
    assert client.post(f"/telemetry/alarms/{burst.pk}/acknowledge/").status_code == 403
    Alarm.objects.filter(pk=burst.pk).update(state="cleared")
    client.force_login(city.engineer)
    assert client.post(f"/telemetry/alarms/{burst.pk}/acknowledge/").status_code == 404
    assert client.get(f"/telemetry/alarms/{burst.pk}/acknowledge/").status_code == 405


def test_the_quarantine_lists_refused_rows_with_their_reasons(client, city):
    QuarantinedReading.objects.create(
        source="a.csv",
        line_number=3,
        raw="NOPE,2026-03-01T22:00:00+08:00,1,0.3",
        reason="unknown meter",
    )
    QuarantinedReading.objects.create(
        source="b.csv", line_number=2, raw="x", reason="unparsable time"
    )
    client.force_login(city.engineer)
    page = client.get("/telemetry/quarantine/?source=a.csv").content.decode()
    assert "unknown meter" in page and "NOPE,2026-03-01" in page
    assert "unparsable time" not in page
    client.force_login(city.sam)
    assert client.get("/telemetry/quarantine/").status_code == 403


LOW_PRESSURE = {
    "service_pressure_mpa": 0.14,
    "window_hours": 3.0,
    "share_threshold": 0.25,
    "window_start": "2026-03-01T09:00:00+00:00",
    "first_low_at": "2026-03-01T10:00:00+00:00",
    "readings": 12,
    "low_readings": 6,
    "low_share": 0.5,
    "min_pressure_mpa": 0.11,
    "peak_hours": [[6.0, 9.0], [17.0, 21.0]],
    "window": {
        "peak": {"readings": 4, "low_readings": 3, "low_share": 0.75, "min_pressure_mpa": 0.11},
        "off_peak": {
            "readings": 8,
            "low_readings": 3,
            "low_share": 0.375,
            "min_pressure_mpa": 0.12,
        },
    },
}
HOUSEHOLD = {
    "direction": "low",
    "low_litres": 10.0,
    "high_litres": 1000.0,
    "days": [{"day": "2026-02-28", "litres": 4.2, "hours_covered": 24.0, "readings": 96}],
}


@pytest.fixture
def more_alarms(city, burst):
    """Besides the burst on XG-M1: low pressure at 锦绣家园 (W01), a household in 星光水晶城."""
    inlet = Meter.objects.create(code="JX-IN1", kind="inlet", community=city.jinxiu)
    home = Meter.objects.create(code="XG-H7", kind="household", community=city.xingguang)
    low = Alarm.objects.create(
        meter=inlet, kind="low_pressure", raised_at=T0 + timedelta(hours=1), detail=LOW_PRESSURE
    )
    usage = Alarm.objects.create(meter=home, kind="household_usage", raised_at=T0, detail=HOUSEHOLD)
    return burst, low, usage


def test_the_overview_counts_open_alarms_per_grid_in_a_chart_and_a_table(client, city, more_alarms):
    # Households are shown to those who route welfare visits (the engineer sees the rest).
    client.force_login(city.dispatcher)
    response = client.get("/telemetry/alarms/")
    chart = response.context["chart"]
    assert chart["grids"] == ["E01", "W01"]
    by_kind = {s["kind"]: s["data"] for s in chart["series"]}
    assert by_kind == {"burst": [1, 0], "low_pressure": [0, 1], "household_usage": [1, 0]}
    page = response.content.decode()
    assert 'id="alarm-chart"' in page and "mains/telemetry-overview.js" in page
    assert json.loads(page.split('id="alarm-chart-data" type="application/json">')[1].split("<")[0])
    table = page.split('id="grid-counts"')[1].split("</table>")[0]
    assert "E01 东关网格" in table and "W01 西湖网格" in table
    assert page.count('class="alarm-row"') == 3


def test_the_overview_filters_by_kind_and_refuses_an_unknown_one(client, city, more_alarms):
    # Households are shown to those who route welfare visits (the engineer sees the rest).
    client.force_login(city.dispatcher)
    response = client.get("/telemetry/alarms/?kind=low_pressure")
    page = response.content.decode()
    assert page.count('class="alarm-row"') == 1 and "JX-IN1" in page and "XG-M1" not in page
    assert response.context["chart"]["grids"] == ["W01"]
    response = client.get("/telemetry/alarms/?kind=night_flow")
    assert "No alarm of this kind is open." in response.content.decode()
    response = client.get("/telemetry/alarms/?kind=flood")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose one of the kinds offered." in page and page.count('class="alarm-row"') == 3


def test_alarms_cleared_in_the_last_week_are_under_their_own_tab(client, city, more_alarms):
    burst, low, usage = more_alarms
    now = datetime.now(UTC)
    Alarm.objects.filter(pk=low.pk).update(state="cleared", cleared_at=now - timedelta(days=2))
    Alarm.objects.filter(pk=usage.pk).update(state="cleared", cleared_at=now - timedelta(days=9))
    client.force_login(city.engineer)
    page = client.get("/telemetry/alarms/").content.decode()
    assert "JX-IN1" not in page and 'id="cleared-tab"' in page
    cleared = client.get("/telemetry/alarms/?show=cleared").content.decode()
    table = cleared.split('id="cleared-alarms"')[1]
    assert "JX-IN1" in table and "XG-H7" not in table and "XG-M1" not in table


def test_the_overview_needs_few_queries_however_many_alarms(
    client, city, more_alarms, django_assert_max_num_queries
):
    client.force_login(city.engineer)
    with django_assert_max_num_queries(9):
        client.get("/telemetry/alarms/")
    with django_assert_max_num_queries(9):
        client.get("/telemetry/alarms/?show=cleared&kind=burst")


def test_the_alarm_page_shows_the_evidence_the_chart_around_the_onset_and_the_order(
    client, city, burst
):
    client.force_login(city.engineer)
    response = client.get(f"/telemetry/alarms/{burst.pk}/")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["onset"] == "2026-03-01T20:00:00"
    assert chart["start"] == "2026-03-01T08:00:00"
    assert len(chart["flow"]) == 8
    page = response.content.decode()
    assert "Flow rose from 40 m³/h to 95 m³/h while pressure fell from 0.32 MPa to 0.21 MPa" in page
    assert "Reference flow" in page and "52 m³/h" in page
    assert f'href="/desk/orders/{burst.work_order.pk}/"' in page
    assert 'id="meter-chart"' in page and 'id="acknowledge"' in page


def test_the_alarm_page_is_for_the_network_watchers_only(client, city, burst):
    client.force_login(city.sam)
    assert client.get(f"/telemetry/alarms/{burst.pk}/").status_code == 403
    client.force_login(city.engineer)
    assert client.get("/telemetry/alarms/999999/").status_code == 404


def test_evidence_of_each_kind_reads_as_a_sentence_with_units():
    low = evidence("low_pressure", LOW_PRESSURE)
    assert low.summary == (
        "6 of 12 readings (50 %) were below the service pressure of 0.14 MPa; "
        "the lowest was 0.11 MPa."
    )
    assert ("Service pressure", "0.14 MPa") in low.figures
    (split,) = low.tables
    assert split.rows[0][:3] == ["Peak hours", "4", "3"]
    home = evidence("household_usage", HOUSEHOLD)
    assert home.summary == "Only 4.2 L used on 2026-02-28, under 10 L."
    assert ("Direction", "too little") in home.figures
    # The evidence exactly as the night-flow detector writes it.
    leak = night_detector.added_from(night_detector.district(), 40, 35.0, until=46)
    (found,) = night_flow.find(night_detector.series(leak), night_detector.INLET)
    night = evidence("night_flow", found.detail)
    last = found.detail["nights"][-1]
    assert night.summary == (
        f"The flow added at night stayed above {show('_m3h', found.detail['added_flow_limit_m3h'])}"
        " for 2 nights in a row: on the night ending 2026-04-12 04:00 the minimum night flow "
        f"was {show('_m3h', last['min_night_flow_m3h'])} where the day before's use led to "
        f"expect {show('_m3h', last['expected_m3h'])} ({show('_m3h', last['added_flow_m3h'])}"
        " added)."
    )
    share = show("usual_night_share", found.detail["usual_night_share"])
    assert ("Usual night share of the day's use", share) in night.figures and "%" in share
    labels = [label for label, _value in night.figures]
    assert "Expected minimum night flow" in labels and "Added flow that raises the alarm" in labels
    assert not any("_" in label for label in labels)  # every key has its label
    (table,) = night.tables
    assert table.headers == ["Night ending", "Minimum night flow", "Expected", "Added flow"]
    blind = evidence(
        "burst",
        {
            "onset": "2026-02-28T20:00:00+00:00",
            "reference_flow_m3h": 40.0,
            "reference_pressure_mpa": None,
            "readings": [{"flow_m3h": 95.0, "pressure_mpa": None}],
        },
    )
    assert blind.summary == "Flow rose from 40 m³/h to 95 m³/h from 2026-03-01 04:00 on."
    odd = evidence("night_flow", {"baseline_m3h": 2.0, "unheard_of": [1, 2]})
    assert odd.summary == "The detector recorded the figures below."
    assert ("Baseline night flow", "2 m³/h") in odd.figures


def test_acknowledging_in_place_swaps_the_row_or_the_state(client, city, more_alarms):
    burst, low, usage = more_alarms
    # Households are shown to those who route welfare visits (the engineer sees the rest).
    client.force_login(city.dispatcher)
    response = client.post(f"/telemetry/alarms/{burst.pk}/acknowledge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith('<tr class="alarm-row" id="alarm-') and "Acknowledge</button>" not in row
    response = client.post(
        f"/telemetry/alarms/{low.pk}/acknowledge/", {"next": "detail"}, HTTP_HX_REQUEST="true"
    )
    assert 'id="alarm-state"' in response.content.decode()
    assert "Alarm acknowledged." in response.content.decode()
    response = client.post(f"/telemetry/alarms/{usage.pk}/acknowledge/", {"next": "detail"})
    assert response.url == f"/telemetry/alarms/{usage.pk}/"


def test_the_meter_page_shows_the_days_chosen(client, city, burst):
    write_readings([Reading("XG-M1", T0 - timedelta(days=3), 12.0, 0.33)])
    client.force_login(city.engineer)
    response = client.get("/telemetry/meters/XG-M1/?date_from=2026-02-26&date_to=2026-02-26")
    chart = response.context["chart"]
    assert chart["start"] == "2026-02-26T00:00:00"
    assert chart["end"] == "2026-02-27T00:00:00"
    assert chart["flow"] == [["2026-02-26T20:00:00", 12.0]]
    assert response.context["hours"] is None
    response = client.get("/telemetry/meters/XG-M1/?date_from=2026-03-01")
    assert len(response.context["chart"]["flow"]) == 8 and chart["alarms"] == []


@pytest.mark.parametrize(
    "query, message",
    [
        ("date_from=2026-03-05&date_to=2026-03-01", "The last day comes before the first."),
        ("date_from=yesterday&date_to=2026-03-01", "Write the first day as YYYY-MM-DD."),
        ("date_to=2026-03-01", "Give the first day as well as the last."),
        ("date_from=2026-01-01&date_to=2026-03-01", "Choose at most 31 days."),
    ],
)
def test_a_bad_period_is_explained_and_the_form_keeps_what_was_typed(
    client, city, meter, query, message
):
    client.force_login(city.engineer)
    response = client.get(f"/telemetry/meters/XG-M1/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    for pair in query.split("&"):
        assert f'value="{pair.split("=")[1]}"' in page
    assert response.context["hours"] == 24


def test_the_meters_list_shows_each_meters_last_reading_and_open_alarms(
    client, city, more_alarms, django_assert_max_num_queries
):
    # Households are shown to those who route welfare visits (the engineer sees the rest).
    client.force_login(city.dispatcher)
    with django_assert_max_num_queries(8):
        response = client.get("/telemetry/meters/")
    rows = {m.code: (last, n) for _, group in response.context["groups"] for m, last, n in group}
    assert rows == {
        "JX-IN1": (None, 1),
        "XG-H7": (None, 1),
        "XG-M1": (T0 + timedelta(minutes=105), 1),
    }
    assert [c.name for c, _ in response.context["groups"]] == ["星光水晶城", "锦绣家园"]
    page = client.get("/telemetry/meters/?q=锦绣").content.decode()
    assert "JX-IN1" in page and "XG-M1" not in page
    assert "No meter matches." in client.get("/telemetry/meters/?q=nowhere").content.decode()
    client.force_login(city.agent)
    assert client.get("/telemetry/meters/").status_code == 403


def test_the_alarm_and_meter_pages_need_few_queries(
    client, city, more_alarms, django_assert_max_num_queries
):
    burst = more_alarms[0]
    client.force_login(city.engineer)
    with django_assert_max_num_queries(8):
        client.get(f"/telemetry/alarms/{burst.pk}/")
    with django_assert_max_num_queries(8):
        client.get("/telemetry/meters/XG-M1/?date_from=2026-03-01")


def test_the_alarm_chart_marks_the_onset_and_the_moment_the_alarm_was_confirmed(
    client, city, meter
):
    detail = {
        "onset": T0.isoformat(),
        "confirmed_at": (T0 + timedelta(minutes=30)).isoformat(),
        "reference_flow_m3h": 40.0,
        "reference_pressure_mpa": 0.32,
        "readings": [{"ts": T0.isoformat(), "flow_m3h": 95.0, "pressure_mpa": 0.21}],
    }
    alarm = do_raise_alarm(meter, Alarm.Kind.BURST, T0, detail)
    client.force_login(city.engineer)
    response = client.get(f"/telemetry/alarms/{alarm.pk}/")
    chart = response.context["chart"]
    assert (chart["onset"], chart["confirmed"]) == ("2026-03-01T20:00:00", "2026-03-01T20:30:00")
    assert '"confirmed": "Confirmed"' in response.content.decode()


def test_an_alarm_without_a_confirmation_time_marks_only_its_onset(client, city, burst):
    client.force_login(city.engineer)
    chart = client.get(f"/telemetry/alarms/{burst.pk}/").context["chart"]
    assert chart["confirmed"] is None
