"""The KPI targets: an administrator sets them (on the KPI area's page or in the admin);
nobody else may."""

from decimal import Decimal

import pytest

from mains.desk.models import KpiTarget

URL = "/desk/kpis/targets/"
KEYS = KpiTarget.Key.values


@pytest.fixture(autouse=True)
def _in_english(settings):
    settings.LANGUAGE_CODE = "en"


def form(**targets) -> dict:
    """Every KPI blank, higher is better, but those given: key=(target, direction)."""
    data = {}
    for key in KEYS:
        value, direction = targets.get(key, ("", "higher"))
        data[f"{key}_target"] = value
        data[f"{key}_direction"] = direction
    return data


def test_an_administrator_sets_and_removes_targets(client, city):
    client.force_login(city.admin)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL, form(on_time_acceptance=("95", "higher"), redo_rate=("5.5", "lower"))
    )
    assert response.status_code == 302 and response.url == "/desk/kpis/"
    saved = {t.kpi: (t.target, t.direction, t.updated_by) for t in KpiTarget.objects.all()}
    assert saved == {
        "on_time_acceptance": (Decimal("95.0"), "higher", city.admin),
        "redo_rate": (Decimal("5.5"), "lower", city.admin),
    }
    page = client.get(URL).content.decode()
    assert 'value="95.0"' in page and 'value="5.5"' in page
    client.post(URL, form(redo_rate=("4", "lower")))
    assert list(KpiTarget.objects.values_list("kpi", "target")) == [("redo_rate", Decimal("4"))]


def test_the_kpi_page_offers_the_targets_only_to_an_administrator(client, city):
    client.force_login(city.admin)
    assert 'id="kpi-targets-edit"' in client.get("/desk/kpis/").content.decode()
    client.force_login(city.manager)
    assert 'id="kpi-targets-edit"' not in client.get("/desk/kpis/").content.decode()


@pytest.mark.parametrize(
    "value, message",
    [
        ("150", "A target is a percentage between 0 and 100."),
        ("-1", "A target is a percentage between 0 and 100."),
        ("ninety", "Enter a percentage such as 95 or 97.5."),
        ("97.25", "Use at most one decimal, as 97.5."),
    ],
)
def test_a_bad_target_is_refused_with_what_was_typed_kept(client, city, value, message):
    client.force_login(city.admin)
    response = client.post(URL, form(satisfaction=(value, "higher"), timeliness=("90", "higher")))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and f'value="{value}"' in page and 'value="90"' in page
    assert not KpiTarget.objects.exists()


@pytest.mark.parametrize("role", ["manager", "dispatcher", "unit_manager", "agent", "sam"])
def test_no_one_else_may_set_targets(client, city, role):
    client.force_login(getattr(city, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(satisfaction=("99", "higher"))).status_code == 403
    assert client.get("/admin/desk/kpitarget/").status_code == 302  # to the admin's log-in
    assert not KpiTarget.objects.exists()


def test_an_administrator_edits_targets_in_the_admin_too(client, city):
    client.force_login(city.admin)
    response = client.post(
        "/admin/desk/kpitarget/add/",
        {"kpi": "timeliness", "target": "92.5", "direction": "higher"},
    )
    assert response.status_code == 302
    target = KpiTarget.objects.get()
    assert (target.kpi, target.target, target.updated_by) == (
        "timeliness",
        Decimal("92.5"),
        city.admin,
    )
    assert client.get("/admin/desk/kpitarget/").status_code == 200
