"""p95 latency of the busiest pages against a demo city, with the framework's floor.

    .venv/bin/python -m benchmarks.pages [--requests 200] [--port 8123]

Needs the demo city (`mains demo build`) in the database the settings point at
(SQLite by default, or DATABASE_URL). Starts gunicorn with one sync worker on loopback,
logs in as the demo users, and times sequential requests: the intake save (a POST that
creates an order), the dispatcher board, the KPI page for a month, and a constant-JSON
Django view. The orders it creates are deleted at the end.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.http import Browser  # noqa: E402
from mains.areas.models import Community  # noqa: E402
from mains.desk.models import Category, WorkOrder  # noqa: E402

PASSWORD = "mains-demo"
MARK = "[benchmark]"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def start_one_worker(port: int, timeout_s: int = 30) -> subprocess.Popen:
    """One gunicorn sync worker serving mains on loopback with the benchmark settings."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mains.wsgi:application",
            "--workers",
            "1",
            "--timeout",
            str(timeout_s),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--env",
            "DJANGO_SETTINGS_MODULE=benchmarks.settings",
        ],
    )


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            status, _t, _e = Browser("127.0.0.1", port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def time_get(browser: Browser, path: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        status, _text, elapsed = browser.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        times.append(elapsed)
    return times


def time_intake(browser: Browser, n: int) -> list[float]:
    communities = list(Community.objects.values_list("pk", flat=True))
    categories = list(Category.objects.filter(active=True).values_list("pk", flat=True))
    rng = random.Random(7)
    times = []
    for i in range(n):
        token = browser.csrf_form_token("/desk/intake/")
        body = {
            "csrfmiddlewaretoken": token,
            "caller_phone": f"139{rng.randrange(10**8):08d}",
            "caller_name": "测试",
            "community": rng.choice(communities),
            "category": rng.choice(categories),
            "channel": "hotline",
            "description": f"{MARK} 第{i}次压测来电",
        }
        status, _text, elapsed = browser.request("POST", "/desk/intake/", body)
        if status != 302:
            raise RuntimeError(f"intake save answered {status}")
        times.append(elapsed)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()

    orders = WorkOrder.objects.count()
    if orders < 100_000:
        print(f"The database holds {orders} orders; build the demo city first (mains demo build).")
        return 1
    server = start_one_worker(args.port)
    try:
        wait_for(args.port)
        today = timezone.localdate()
        month_start = date(today.year, today.month, 1)
        kpi_path = f"/desk/kpis/?start={month_start:%Y-%m-%d}&end={today:%Y-%m-%d}"
        agent, dispatcher, manager, anon = (Browser("127.0.0.1", args.port) for _ in range(4))
        agent.login("agent", PASSWORD)
        dispatcher.login("dispatcher", PASSWORD)
        manager.login("manager", PASSWORD)
        n = args.requests
        cases = {
            "floor (constant JSON)": lambda k: time_get(anon, "/__floor__", k),
            "intake save": lambda k: time_intake(agent, k),
            "dispatcher board": lambda k: time_get(dispatcher, "/desk/board/", k),
            "KPI page, this month": lambda k: time_get(manager, kpi_path, k),
        }
        results = {}
        for name, run in cases.items():
            run(max(5, n // 10))  # warm-up
            results[name] = run(n)
    finally:
        server.terminate()
        server.wait(10)
        WorkOrder.objects.filter(description__startswith=MARK).delete()

    floor_p95 = percentile(results["floor (constant JSON)"], 95)
    print(f"\n{connection.vendor}, {orders} orders, {n} requests each, one gunicorn worker\n")
    print("| page | p50 ms | p95 ms | p95 ÷ floor |")
    print("|---|---:|---:|---:|")
    for name, times in results.items():
        p50 = statistics.median(times) * 1000
        p95 = percentile(times, 95) * 1000
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p95 / (floor_p95 * 1000):.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
