"""Issue 10, item 6: password guessing is locked out by user name and, apart, by address."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone, translation

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 20
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.LOGIN_HELP_CONTACT = ""


def log_in(client, username, password, ip="203.0.113.7", url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_thirty_wrong_passwords_lock_the_user_and_the_right_one_is_then_refused(client, city):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(30):
            log_in(client, "ada", f"guess-{n}", ip=f"198.51.100.{n + 1}")
        refused = log_in(client, "ada", "pw-ada", ip="192.0.2.50")
        until = timezone.localtime(timezone.now() + timedelta(minutes=15)).strftime("%H:%M")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    html = refused.content.decode()
    assert 'id="lockout-message"' in html
    assert "登录" in html and "分钟" in html, "the message is in Chinese by default"
    assert zh("Log-in locked") in html
    assert "该用户名的密码输错次数过多" in html
    assert "15 分钟" in html and until in html, "it says for how long"
    assert (
        zh(
            "If you have forgotten your password, ask your system administrator to reset it; "
            "they can also lift the lock at once."
        )
        in html
    )
    assert 0 < int(refused["Retry-After"]) <= 15 * 60


def test_the_lock_page_speaks_english_to_an_english_browser_and_names_the_contact(
    client, city, settings
):
    settings.LOGIN_HELP_CONTACT = "IT desk 0635-8888888"
    for n in range(5):
        log_in(client, "ada", f"guess-{n}")
    refused = log_in(client, "ada", "pw-ada", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many wrong passwords were entered for this user name" in html
    assert "next 15 minutes (until" in html
    assert "IT desk 0635-8888888" in html


def test_four_wrong_passwords_still_let_the_right_one_in(client, city):
    for n in range(4):
        assert log_in(client, "ada", f"guess-{n}").status_code == 200
    assert logged_in(log_in(client, "ada", "pw-ada"))


def test_after_the_cool_off_the_user_logs_in_again(client, city):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(30):
            log_in(client, "ada", f"guess-{n}", ip=f"198.51.100.{n + 1}")
        clock.shift(timedelta(minutes=14))
        assert log_in(client, "ada", "pw-ada").status_code == 429
        clock.shift(timedelta(minutes=1, seconds=1))
        assert logged_in(log_in(client, "ada", "pw-ada"))


def test_tries_during_the_lock_do_not_make_it_longer(client, city):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(5):
            log_in(client, "ada", f"guess-{n}")
        clock.shift(timedelta(minutes=10))
        for n in range(10):
            assert log_in(client, "ada", f"again-{n}").status_code == 429
        clock.shift(timedelta(minutes=5, seconds=1))
        assert logged_in(log_in(client, "ada", "pw-ada"))


def test_many_user_names_from_one_address_lock_the_address(client, city):
    for n in range(20):
        log_in(client, f"nobody{n}", "guess", ip="203.0.113.66")
    refused = log_in(client, "anna", "pw-anna", ip="203.0.113.66")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert zh("Log-in locked") in html
    assert "此网络地址的登录失败次数过多" in html, "it says the address is locked"
    assert "_auth_user_id" not in client.session
    # Another address logs in as another user, and as a user the address tried.
    assert logged_in(log_in(client, "dora", "pw-dora", ip="198.51.100.9"))
    client.logout()
    assert logged_in(log_in(client, "anna", "pw-anna", ip="198.51.100.9"))


def test_behind_a_trusted_proxy_the_visitor_is_locked_not_the_proxy(client, city, settings):
    settings.PUBLIC_TRUST_X_FORWARDED_FOR = True
    for n in range(20):
        log_in(client, f"nobody{n}", "guess", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert (
        log_in(
            client, "anna", "pw-anna", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66"
        ).status_code
        == 429
    )
    other = log_in(client, "anna", "pw-anna", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert logged_in(other)


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, city):
    # Without a trusted proxy the header is ignored: the guesser is locked by REMOTE_ADDR.
    for n in range(20):
        log_in(client, f"nobody{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert log_in(client, "anna", "pw-anna", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_the_admin_log_in_is_throttled_too(client, city):
    for n in range(5):
        log_in(client, "ada", f"guess-{n}", url=ADMIN_LOGIN)
    refused = log_in(client, "ada", "pw-ada", url=ADMIN_LOGIN)
    assert refused.status_code == 429
    assert 'id="lockout-message"' in refused.content.decode()
    assert log_in(client, "ada", "pw-ada").status_code == 429, "and the lock holds on both pages"


def test_an_administrator_lifts_a_lock_with_the_reset_command(client, city):
    for n in range(5):
        log_in(client, "ada", f"guess-{n}", ip=f"198.51.100.{n + 1}")
    assert log_in(client, "ada", "pw-ada").status_code == 429
    call_command("axes_reset_username", "ada")
    assert logged_in(log_in(client, "ada", "pw-ada"))


def test_no_password_is_kept_in_the_record_of_failures(client, city):
    log_in(client, "ada", "my-secret-guess")
    attempt = AccessAttempt.objects.get()
    assert "my-secret-guess" not in attempt.post_data
    assert attempt.ip_address == "203.0.113.7"


def test_a_visitor_without_an_address_is_counted_without_an_error(client, city):
    response = client.post(LOGIN, {"username": "ada", "password": "guess"}, REMOTE_ADDR="")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address is None


def test_old_log_in_records_and_ended_locks_are_forgotten(client, city, settings):
    from axes.models import AccessLog

    from mains.org.tasks import purge_old_login_records

    settings.LOGIN_LOG_RETENTION_DAYS = 180
    with time_machine.travel(timezone.now(), tick=False) as clock:
        log_in(client, "ada", "guess")
        assert logged_in(log_in(client, "ada", "pw-ada"))
        clock.shift(timedelta(days=100))
        assert purge_old_login_records.call_local() == {
            "attempts": 1,
            "log_ins": 0,
            "failures": 0,
        }
        clock.shift(timedelta(days=81))
        assert purge_old_login_records.call_local()["log_ins"] == 1
        assert not AccessLog.objects.exists()
