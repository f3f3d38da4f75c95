"""`mains check --deploy` passes with the README's production environment, and names the
dangers of a careless one."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mains import checks
from mains.env import envchoice, envcount

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- production-environment:"


def production_environment() -> dict[str, str]:
    """The variables of the README's production block, its <…> placeholders filled in."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(re.escape(MARKER) + r".*?\n```\n(.*?)```", readme, re.S)
    assert block, "README.md has no production environment block"
    found = {}
    for line in block.group(1).splitlines():
        name, _sep, value = line.partition("=")
        if name == "SECRET_KEY":
            value = secrets.token_urlsafe(50)
        found[name] = re.sub(r"<[^>]*>", "x", value)
    return found


def run_check(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")}
    env.update(environment)
    # Paths of this test, not of a server; nothing connects to the database or Redis.
    env.update(MAINS_DATA_DIR=str(tmp_path / "data"), STATIC_ROOT=str(tmp_path / "static"))
    env.pop("MEDIA_ROOT", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_environment_of_the_readme_passes_check_deploy(tmp_path):
    result = run_check(production_environment(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_careless_environment_fails_check_deploy_naming_each_danger(tmp_path):
    careless = {"DEBUG": "True", "ALLOWED_HOSTS": "*,mains.example.cn"}
    result = run_check(careless, tmp_path)
    assert result.returncode != 0
    for danger in [
        "mains.W001",  # DEBUG with hosts beyond this machine
        "mains.W002",  # the development SECRET_KEY
        "mains.W003",  # PUBLIC_BASE_URL not a public https:// address
        "mains.W004",  # ALLOWED_HOSTS=*
        "security.W004",  # no HSTS
        "security.W008",  # no redirect to HTTPS
        "security.W009",  # a weak SECRET_KEY
        "security.W012",  # session cookie over plain HTTP
        "security.W016",  # CSRF cookie over plain HTTP
        "security.W018",  # DEBUG in deployment
    ]:
        assert danger in result.stderr, danger


def ids(found) -> list[str]:
    return [message.id for message in found]


def test_debug_on_a_developers_machine_is_fine(settings):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "app.localhost"]
    assert checks.check_debug_stays_local(None) == []


def test_debug_on_with_a_host_beyond_this_machine_is_warned_even_without_deploy(settings):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["localhost", "192.168.1.20"]
    assert ids(checks.check_debug_stays_local(None)) == ["mains.W001"]
    settings.DEBUG = False
    assert checks.check_debug_stays_local(None) == []


def test_the_production_checks_pass_with_production_values(settings):
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.PUBLIC_BASE_URL = "https://mains.example.cn"
    settings.ALLOWED_HOSTS = ["mains.example.cn"]
    assert checks.check_production_settings(None) == []


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("SECRET_KEY", "insecure-dev-key-change-me", "mains.W002"),
        ("PUBLIC_BASE_URL", "http://mains.example.cn", "mains.W003"),
        ("PUBLIC_BASE_URL", "https://127.0.0.1:8000", "mains.W003"),
        ("PUBLIC_BASE_URL", "https://localhost", "mains.W003"),
        ("ALLOWED_HOSTS", ["*"], "mains.W004"),
    ],
)
def test_each_dangerous_production_value_is_warned(settings, setting, value, warning):
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.PUBLIC_BASE_URL = "https://mains.example.cn"
    settings.ALLOWED_HOSTS = ["mains.example.cn"]
    setattr(settings, setting, value)
    assert ids(checks.check_production_settings(None)) == [warning]


def test_a_header_value_outside_its_choices_is_refused_at_start_up(monkeypatch):
    monkeypatch.setenv("X_FRAME_OPTIONS", "ALLOWALL")
    with pytest.raises(ImproperlyConfigured, match="X_FRAME_OPTIONS must be one of DENY"):
        envchoice("X_FRAME_OPTIONS", "DENY", ("DENY", "SAMEORIGIN"))


def test_a_negative_hsts_duration_is_refused_at_start_up(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "-1")
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS must be 0 or more"):
        envcount("SECURE_HSTS_SECONDS", 0)


def test_pages_forbid_framing_sniffing_and_leaking_their_address(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_behind_nginx_plain_http_is_redirected_and_cookies_stay_on_https(client, settings, city):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 3600
    plain = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"
    login = {"username": "anna", "password": "pw-anna"}
    secure = client.post("/accounts/login/", login, HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 302
    session = secure.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert secure["Strict-Transport-Security"] == "max-age=3600"
