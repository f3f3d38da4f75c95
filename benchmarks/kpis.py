"""The KPI page and the order list at scale, against the one-aggregate floor.

    .venv/bin/python -m benchmarks.kpis --orders 1000000 [--requests 30] [--port 8124]

Uses the database the settings point at (SQLite by default, SQLITE_PATH, or
DATABASE_URL; a PostgreSQL database is created when missing). Builds the demo city with
`mains demo build --orders N --force` unless the database already holds one of about N orders
(then it is reused), brings the KPI rollup up to date, and starts gunicorn with one sync
worker on loopback. Then it times sequential requests as the demo's manager: the KPI page
for the last complete month and for the last six months (to today) in every grouping, the
order list's page 500 as the dispatcher, and in-process the floor: one grouped SQL
aggregate (the order counts per unit) over the same month. Each figure comes with the
load average when it was taken (the machine may be shared). Prints a Markdown table for
docs/benchmarks.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")


def ensure_postgres_database() -> None:
    """CREATE DATABASE for DATABASE_URL when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    admin = {"host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"]}
    if cfg.get("PASSWORD"):
        admin["password"] = cfg["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


ensure_postgres_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from benchmarks.http import Browser  # noqa: E402
from benchmarks.pages import percentile, start_one_worker, wait_for  # noqa: E402
from mains.demo.organisation import DEMO_PASSWORD  # noqa: E402
from mains.desk import kpi_counts  # noqa: E402
from mains.desk.models import WorkOrder  # noqa: E402

GROUPINGS = list(kpi_counts.GROUPINGS)


def prepare(orders: int) -> float:
    """The city of `orders` orders and an up-to-date rollup; returns the build's seconds."""
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    # The demo adds a few orders of its own (alarms, outages): reuse a city within 1 %.
    if abs(WorkOrder.objects.count() - orders) > orders // 100:
        call_command("demo", "build", "--orders", str(orders), "--force")
    call_command("kpi_rollup", "--all")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def last_complete_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def floor_times(start: date, end: date, n: int) -> list[float]:
    """One grouped aggregate over the month's orders: the order counts per unit."""
    period = kpi_counts.Period(start, end)
    times = []
    for _ in range(n):
        began = time.perf_counter()
        list(
            kpi_counts.orders_in(WorkOrder.objects.all(), period)
            .values("unit_id")
            .annotate(**kpi_counts.order_aggregates())
        )
        times.append(time.perf_counter() - began)
    return times


def time_get(browser: Browser, path: str, n: int, bar) -> list[float]:
    times = []
    for _ in range(n):
        status, _text, elapsed = browser.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        times.append(elapsed)
        bar.update()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per case")
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--prepare-only", action="store_true", help="build the city, time nothing")
    args = parser.parse_args()

    build_seconds = prepare(args.orders)
    if args.prepare_only:
        print(f"Prepared {WorkOrder.objects.count():,} orders in {build_seconds:.0f} s.")
        return 0
    orders = WorkOrder.objects.count()
    today = timezone.localdate()
    month = last_complete_month(today)
    six_months = (today - timedelta(days=182), today)
    cases: list[tuple[str, str, str]] = []  # (name, user, path)
    for label, (start, end) in (("month", month), ("six months", six_months)):
        for group in GROUPINGS:
            path = f"/desk/kpis/?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}&group={group}"
            cases.append((f"KPI page, {label}, by {group}", "manager", path))
    cases.append(("order list, page 500", "dispatcher", "/desk/orders/?page=500"))

    server = start_one_worker(args.port, timeout_s=300)
    n, warm = args.requests, max(2, args.requests // 10)
    results: list[tuple[str, list[float], float]] = []
    try:
        wait_for(args.port)
        browsers = {}
        for user in ("manager", "dispatcher"):
            browsers[user] = Browser("127.0.0.1", args.port)
            browsers[user].login(user, DEMO_PASSWORD)
        with tqdm(total=(n + warm) * (len(cases) + 1), unit="req", desc="bench-kpis") as bar:
            floor = floor_times(*month, warm)
            bar.update(warm)
            floor = floor_times(*month, n)
            bar.update(n)
            results.append(("floor: one grouped aggregate, month", floor, os.getloadavg()[0]))
            for name, user, path in cases:
                time_get(browsers[user], path, warm, bar)
                times = time_get(browsers[user], path, n, bar)
                results.append((name, times, os.getloadavg()[0]))
    finally:
        server.terminate()
        server.wait(10)

    floor_p50 = statistics.median(results[0][1]) * 1000
    print(
        f"\n{date.today():%Y-%m-%d}, {platform.node()} ({os.cpu_count()} cores), "
        f"{connection.vendor}, {orders:,} orders (prepared in {build_seconds:.0f} s), "
        f"month {month[0]}…{month[1]}, six months {six_months[0]}…{six_months[1]}, "
        f"{n} requests each, one gunicorn worker\n"
    )
    print("| case | p50 ms | p95 ms | p50 ÷ floor p50 | load avg |")
    print("|---|---:|---:|---:|---:|")
    for name, times, load in results:
        p50 = statistics.median(times) * 1000
        p95 = percentile(times, 95) * 1000
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / floor_p50:.2f}× | {load:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
