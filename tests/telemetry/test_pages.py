from datetime import UTC, datetime, timedelta

import pytest

from mains.telemetry.actions import do_raise_alarm
from mains.telemetry.models import Alarm, Meter, QuarantinedReading
from mains.telemetry.storage import Reading, write_readings

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
    assert len(chart["flow"]) == 8 and chart["flow"][0] == [T0.isoformat(), 40.0]
    assert chart["alarms"][0]["from"] == T0.isoformat()
    page = response.content.decode()
    assert 'id="meter-chart"' in page and "mains/telemetry.js" in page


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
