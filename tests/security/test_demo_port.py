"""Issue 10, item 17: `make demo PORT=8011` prints links and QR codes to the port it serves."""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from mains.areas.models import Community
from mains.boards.render import board_html, communities_for_print
from mains.desk.order_messages import tracking_url
from mains.org.models import User
from mains.org.roles import Role

ROOT = Path(__file__).resolve().parents[2]
SERVED = "http://127.0.0.1:8011"

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


def make(*args: str, **env: str) -> str:
    """Run make in the repository with the operator's environment (no PUBLIC_BASE_URL)."""
    base = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "MAKEFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


SHOW_SETTING = (
    f'show-url: ; @"{sys.executable}" manage.py shell --verbosity=0 -c '
    '"from django.conf import settings; print(settings.PUBLIC_BASE_URL)"'
)


@needs_make
def test_make_serve_on_another_port_says_where_links_point():
    plan = make("-n", "serve", "PORT=8011")
    assert "runserver --noreload 127.0.0.1:8011" in plan
    assert f"point at {SERVED}" in plan


@needs_make
def test_what_make_runs_reads_the_served_port_as_the_public_address():
    assert make("-s", "PORT=8011", "--eval", SHOW_SETTING, "show-url").strip() == SERVED
    assert make("-s", "--eval", SHOW_SETTING, "show-url").strip() == "http://127.0.0.1:8000"


@needs_make
def test_an_address_the_operator_set_is_kept_whatever_the_port():
    public = "https://mains.example.cn"
    shown = make("-s", "PORT=8011", "--eval", SHOW_SETTING, "show-url", PUBLIC_BASE_URL=public)
    assert shown.strip() == public


def test_demo_log_ins_boards_tracking_links_and_open311_use_the_public_address(
    city, settings, client
):
    settings.PUBLIC_BASE_URL = SERVED  # what the settings read from make's environment
    User.objects.create_user(username="agent", password="x", role=Role.AGENT)
    out = StringIO()
    call_command("demo", "logins", stdout=out)
    assert f"{SERVED}/" in out.getvalue()
    assert ":8000" not in out.getvalue()
    html = board_html(communities_for_print(Community.objects.filter(pk=city.xingguang.pk)))
    assert f'data-url="{SERVED}/c/{city.xingguang.pk}/"' in html
    assert tracking_url("2026120200559").startswith(f"{SERVED}/track/")
    found = client.get("/open311/v2/discovery.json").json()
    assert found["endpoints"][0]["url"].startswith(SERVED)
