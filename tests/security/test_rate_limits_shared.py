"""Issue 10, item 7: rate limits hold under gunicorn without Redis, exactly, in every worker.

The embedded default (SQLite, no REDIS_URL) is run for real: a database file made for
the test, gunicorn with 4 workers on a free loopback port, 12 reports at the same moment.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import connection

from benchmarks.http import Browser
from mains.public.ratelimit import Limit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def embedded_env(tmp_path: Path, **extra: str) -> dict:
    """The environment of a fresh install: SQLite in tmp_path, no Redis, no DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.pop("RATE_LIMIT_STORE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="mains.settings",
        MAINS_DATA_DIR=str(tmp_path),
        SQLITE_PATH=str(tmp_path / "mains.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
        NOTIFY_FILE_DIR=str(tmp_path / "outbox"),
        **extra,
    )
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):  # at most a minute
        assert server.poll() is None, "gunicorn stopped"
        try:
            if Browser("127.0.0.1", port).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def send_reports_at_once(port: int, community: int, category: int, copies: int) -> list:
    """Each report from its own browser (its own CSRF cookie), all posted together."""
    barrier = threading.Barrier(copies)
    statuses: list = []

    def report(n: int) -> None:
        try:
            browser = Browser("127.0.0.1", port)
            token = browser.csrf_form_token(f"/c/{community}/")
            body = {
                "csrfmiddlewaretoken": token,
                "category": str(category),
                "description": f"楼道水表漏水 {n}",
                "phone": f"1380000{n:04d}",
            }
            barrier.wait(timeout=60)
            statuses.append(browser.request("POST", f"/c/{community}/", body)[0])
        except Exception as exc:  # reported by the test, not lost in the thread
            statuses.append(repr(exc))

    threads = [threading.Thread(target=report, args=(n,)) for n in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_twelve_reports_at_once_to_four_gunicorn_workers_let_exactly_five_through(tmp_path):
    env = embedded_env(tmp_path, PUBLIC_REPORTS_PER_HOUR_PER_IP="5")
    manage(env, "migrate", "--noinput")
    ids = manage(
        env,
        "shell",
        "--verbosity=0",
        "-c",
        "from mains.areas.models import Community; from mains.desk.models import Category; "
        "c = Community.objects.create(name='星光水晶城', address='东昌路88号'); "
        "print(c.pk, Category.objects.get(code='W-LEAK').pk)",
    )
    community, category = (int(part) for part in ids.split()[-2:])
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "mains.wsgi:application", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_until_serving(port, server)
        statuses = send_reports_at_once(port, community, category, copies=12)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert sorted(statuses, key=str) == [302] * 5 + [429] * 7, statuses
    with sqlite3.connect(tmp_path / "mains.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM desk_workorder").fetchone() == (5,)


def test_processes_hitting_one_counter_together_lose_no_hit(tmp_path):
    env = embedded_env(tmp_path)
    manage(env, "migrate", "public", "--noinput")
    processes, hits, limit = 4, 40, 50
    workers = [
        subprocess.Popen(
            [PYTHON, "-m", "tests.security.counter_hammer", str(limit), str(hits)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(processes)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    answers = [json.loads(worker.communicate(timeout=120)[0]) for worker in workers]
    assert sum(sum(a) for a in answers) == limit, "exactly `limit` hits were let through"
    with sqlite3.connect(tmp_path / "mains.sqlite3") as db:
        total = db.execute("SELECT sum(hits) FROM public_ratecounter").fetchone()[0]
    assert total == processes * hits, "every hit was counted"


@pytest.mark.postgres_only
def test_on_postgresql_concurrent_hits_are_counted_exactly(transactional_db):
    counter = Limit("concurrent", 5, 3600)
    barrier = threading.Barrier(12)
    answers: list = []

    def hit() -> None:
        try:
            barrier.wait(timeout=30)
            answers.append(counter.hit("203.0.113.7"))
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [False] * 7 + [True] * 5
    assert counter.used("203.0.113.7") == 12


def check_ids() -> list[str]:
    return [message.id for message in run_checks()]


def test_a_cache_that_cannot_share_counters_is_warned_about(settings):
    settings.RATE_LIMIT_STORE = "cache"
    for backend in ("locmem.LocMemCache", "db.DatabaseCache", "dummy.DummyCache"):
        settings.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
        assert "public.W001" in check_ids(), backend


def test_the_database_store_and_redis_are_not_warned_about(settings):
    assert settings.RATE_LIMIT_STORE == "database", "the default without REDIS_URL"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "public.W001" not in check_ids()
    settings.RATE_LIMIT_STORE = "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    assert "public.W001" not in check_ids()


def test_an_unknown_store_is_refused(settings):
    settings.RATE_LIMIT_STORE = "memory"
    assert "public.E001" in check_ids()


def test_counters_of_ended_windows_are_purged(db, time_machine):
    from mains.public.models import RateCounter
    from mains.public.tasks import purge_rate_counters

    time_machine.move_to("2026-12-02 10:30:00+08:00", tick=False)
    Limit("report-ip", 5, 3600).hit("203.0.113.7")
    Limit("report-phone", 3, 86400).hit("13812345678")
    time_machine.move_to("2026-12-02 11:02:00+08:00", tick=False)
    assert purge_rate_counters.call_local() == {"purged": 1}
    assert list(RateCounter.objects.values_list("key", flat=True)) == [
        Limit("report-phone", 3, 86400)._key("13812345678")
    ]
