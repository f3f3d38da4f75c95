"""Issue 10, item 8: wrong tracking look-ups hold back the guesser, never the order."""

import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone, translation

GUESSER, RESIDENT = "203.0.113.66", "198.51.100.20"
REFUSAL = (
    "Too many wrong order numbers or digits were tried from here. Please "
    "try again %(wait)s, or call the hotline %(hotline)s."
)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR_PER_IP = 1000
    settings.PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_IP = 10
    settings.PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_SESSION = 5
    settings.PUBLIC_FAILED_LOOKUPS_ALARM_PER_HOUR = 100


def look_up(client, number, last_four, ip, **extra):
    return client.post(
        "/track/", {"number": number, "last_four": last_four}, REMOTE_ADDR=ip, **extra
    )


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_thirty_wrong_guesses_do_not_lock_the_residents_order(city, new_order):
    order = new_order()  # caller 13812341234
    for n in range(30):
        look_up(Client(), order.number, f"{n:04d}", ip=f"203.0.113.{n + 1}")
    seen = look_up(Client(), order.number, "1234", ip=RESIDENT)
    assert seen.status_code == 200
    assert seen.context["order"].number == order.number


def test_the_guesser_is_refused_with_a_translated_message_and_retry_after(city, new_order):
    order = new_order()
    guesser = Client()
    answers = [look_up(guesser, order.number, f"{n:04d}", ip=GUESSER) for n in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert all(a.context["not_found"] for a in answers)
    refused = look_up(guesser, order.number, "1234", ip=GUESSER)
    assert refused.status_code == 429
    assert "order" not in refused.context, "not even the right digits get through"
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert zh(REFUSAL).split("%(wait)s")[0] in refused.content.decode()
    english = look_up(guesser, order.number, "1234", ip=GUESSER, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Too many wrong order numbers or digits were tried from here"
        in english.context["limit_message"]
    )
    resident = look_up(Client(), order.number, "1234", ip=RESIDENT)
    assert resident.status_code == 200 and resident.context["order"] == order


def test_a_guesser_who_drops_the_cookie_is_held_by_the_address(city, new_order):
    order = new_order()
    for n in range(10):
        assert look_up(Client(), order.number, f"{n:04d}", ip=GUESSER).status_code == 200
    assert look_up(Client(), order.number, "1234", ip=GUESSER).status_code == 429
    assert look_up(Client(), order.number, "1234", ip=RESIDENT).status_code == 200


def test_a_guesser_who_changes_address_is_held_by_the_session(city, new_order):
    order = new_order()
    guesser = Client()
    for n in range(5):
        look_up(guesser, order.number, f"{n:04d}", ip=f"203.0.113.{n + 1}")
    assert look_up(guesser, order.number, "1234", ip="203.0.113.99").status_code == 429


def test_guesses_spread_over_many_orders_count_against_the_guesser(city, new_order):
    orders = [new_order() for _ in range(3)]
    guesser = Client()
    for n in range(5):
        look_up(guesser, orders[n % 3].number, "0000", ip=GUESSER)
    assert look_up(guesser, orders[0].number, "1234", ip=GUESSER).status_code == 429
    for order in orders:
        assert look_up(Client(), order.number, "1234", ip=RESIDENT).status_code == 200


def test_the_right_digits_do_not_count_as_a_failure(city, new_order):
    order = new_order()
    resident = Client()
    for _ in range(12):
        assert look_up(resident, order.number, "1234", ip=RESIDENT).status_code == 200


def test_the_guesser_may_try_again_in_the_next_hour(city, new_order):
    order = new_order()
    guesser = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(5):
            look_up(guesser, order.number, f"{n:04d}", ip=GUESSER)
        assert look_up(guesser, order.number, "1234", ip=GUESSER).status_code == 429
        clock.shift(timedelta(hours=1))
        assert look_up(guesser, order.number, "1234", ip=GUESSER).status_code == 200


def test_many_wrong_look_ups_from_everywhere_log_one_warning(city, new_order, settings, caplog):
    settings.PUBLIC_FAILED_LOOKUPS_ALARM_PER_HOUR = 3
    order = new_order()
    with caplog.at_level(logging.WARNING, logger="mains.security"):
        for n in range(6):
            look_up(Client(), order.number, "0000", ip=f"203.0.113.{n + 1}")
    alarms = [r for r in caplog.records if r.name == "mains.security"]
    assert len(alarms) == 1
    assert "guessing" in alarms[0].getMessage()
    assert look_up(Client(), order.number, "1234", ip=RESIDENT).status_code == 200


def test_the_old_per_number_setting_is_reported_as_unused():
    """Read where every variable is read, in settings: a fresh process sees it."""
    env = {**os.environ, "PUBLIC_FAILED_LOOKUPS_PER_DAY_PER_NUMBER": "10"}
    env.pop("DATABASE_URL", None)
    checked = subprocess.run(
        [sys.executable, "-c", "from mains.cli import main; main(['mains', 'check'])"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "public.W002" in checked.stdout + checked.stderr
    assert "public.W002" not in [m.id for m in run_checks()], "not set here"


def test_the_sessions_guessers_leave_behind_are_cleared_when_they_expire(city, new_order):
    from django.contrib.sessions.models import Session

    from mains.public.tasks import clear_expired_sessions

    order = new_order()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        look_up(Client(), order.number, "0000", ip=GUESSER)
        assert Session.objects.count() == 1
        clock.shift(timedelta(weeks=3))
        clear_expired_sessions.call_local()
        assert not Session.objects.exists()
