"""Issue 10, docs part: the access log is kept ACCESS_LOG_RETENTION_DAYS (three years by
default), never less than the 180 days the Cybersecurity Law asks, and older entries are
deleted each night (or when an operator runs `mains expire_access_log`)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone

from mains.org.models import AccessLog
from mains.org.retention import expire_access_log
from mains.org.tasks import expire_access_log_each_night

NOW = timezone.now()


def entry_aged(user, days: int, subject: str) -> AccessLog:
    with time_machine.travel(NOW - timedelta(days=days), tick=False):
        return AccessLog.objects.create(
            user=user, action=AccessLog.Action.VIEW, subject=subject, purpose="working"
        )


def kept() -> set[str]:
    return set(AccessLog.objects.values_list("subject", flat=True))


@pytest.fixture
def entries(city):
    for days in [1, 179, 1094, 1096, 2000]:
        entry_aged(city.sam, days, f"order:{days}")


def test_the_default_keeps_three_years(entries, settings):
    assert settings.ACCESS_LOG_RETENTION_DAYS == 1095
    with time_machine.travel(NOW, tick=False):
        expiry = expire_access_log()
    assert expiry.deleted == 2
    assert kept() == {"order:1", "order:179", "order:1094"}


def test_the_setting_shortens_or_lengthens_it(entries, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 180
    with time_machine.travel(NOW, tick=False):
        expire_access_log()
    assert kept() == {"order:1", "order:179"}


def test_zero_keeps_the_log_forever(entries, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 0
    assert expire_access_log().deleted == 0
    assert len(kept()) == 5


@pytest.mark.parametrize("days", [1, 30, 179, -1])
def test_less_than_six_months_is_refused_and_deletes_nothing(entries, settings, days):
    settings.ACCESS_LOG_RETENTION_DAYS = days
    with pytest.raises(ImproperlyConfigured):
        expire_access_log()
    with pytest.raises(CommandError, match="at least 180 days"):
        call_command("expire_access_log")
    assert len(kept()) == 5
    assert [m.id for m in run_checks() if m.id.startswith("org.")] == ["org.E001"]


@pytest.mark.parametrize("days", [0, 180, 1095, 3650])
def test_the_system_check_accepts_six_months_or_more(settings, days):
    settings.ACCESS_LOG_RETENTION_DAYS = days
    assert [m.id for m in run_checks() if m.id.startswith("org.")] == []


def test_the_nightly_job_deletes_the_expired_entries(entries):
    with time_machine.travel(NOW, tick=False):
        result = expire_access_log_each_night.call_local()
    assert result == {"days": 1095, "deleted": 2}
    assert "order:2000" not in kept()


def test_the_operator_s_command_can_count_first(entries, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("expire_access_log", "--dry-run")
        assert "Would delete 2 access log entries" in capsys.readouterr().out
        assert len(kept()) == 5
        call_command("expire_access_log", "--days", "365")
    assert "Deleted 3 access log entries" in capsys.readouterr().out
    assert kept() == {"order:1", "order:179"}


def test_a_missing_middleware_is_warned_about(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "access_log" not in m]
    assert [m.id for m in run_checks() if m.id.startswith("org.")] == ["org.W001"]
