"""Time of an areas import at a utility's scale: 460 communities, 38 grids and specialists.

    .venv/bin/python -m benchmarks.import_areas [--communities 460] [--grids 38]

Runs against a temporary database made for the run and dropped after it: a SQLite file in a
temporary folder, or a `test_…` database beside the one DATABASE_URL names. Builds a
workbook the way a utility fills it in (every grid with a specialist, a past period for half
of them), then times the first import (everything created), a re-import of the same file
(everything unchanged), a re-import of the exported file, and the export.
"""

import argparse
import datetime as dt
import itertools
import os
import tempfile
import time
from io import BytesIO
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mains.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from mains.areas import workbook as wb  # noqa: E402
from mains.areas.exports import export_book  # noqa: E402
from mains.areas.imports import import_areas  # noqa: E402
from mains.org.models import Unit  # noqa: E402

PLACES = "星光 锦绣 水岸 东关 光彩 西湖 望湖 阳光 金色 翠苑 幸福 和平 建设 文化 向阳 花园 "
PLACES += "龙湾 凤凰 滨河 运河 古楼 湖西 东昌 柳园 振兴 新华 铁塔 光岳 徒骇 兴华"
KINDS = "家园 小区 花园 新城 国际 馨苑 雅居 名苑 公馆 嘉园 丽景 华府 佳苑 新村 城 苑"
PHASES = ["", "一期", "二期", "三期"]


def community_names(count: int) -> list[str]:
    combos = itertools.product(PHASES, PLACES.split(), KINDS.split())
    return [f"{place}{kind}{phase}" for phase, place, kind in itertools.islice(combos, count)]


def utility_workbook(communities: int, grids: int, units: list[str]) -> BytesIO:
    book = Workbook()
    book.remove(book.active)
    rows: dict[str, list[list]] = {form.key: [] for form in wb.SHEETS}
    start = dt.datetime(2024, 1, 1, 8, 0)
    for n in range(grids):
        code, login = f"G{n + 1:02d}", f"spec{n + 1:02d}"
        deputy = f"spec{(n + 1) % grids + 1:02d}"
        rows["grids"].append(
            [
                code,
                f"{code}网格",
                units[n % len(units)],
                f"专员{n + 1:02d}",
                f"139{n + 1:08d}",
                login,
                deputy,
                "巡查管网、入户服务",
                "报修受理、抄表、缴费咨询",
            ]
        )
        if n % 2:
            rows["assignments"].append([code, deputy, "", start - dt.timedelta(days=365), start])
        rows["assignments"].append([code, login, deputy, start, None])
    for n, name in enumerate(community_names(communities)):
        rows["communities"].append(
            [
                name,
                f"东昌路{n + 1}号",
                36.4 + n / 10_000,
                115.9 + n / 10_000,
                200 + n % 900,
                "供热" if n % 7 == 0 else "供水",
                f"G{n % grids + 1:02d}",
            ]
        )
    for form in wb.SHEETS:
        sheet = book.create_sheet(form.title)
        sheet.append([c.label for c in form.columns])
        for row in rows[form.key]:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer


def timed(label: str, action):
    began = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - began
    print(f"  {label:<34} {seconds:6.2f} s")
    return value


def check(result) -> None:
    if not result.ok:
        raise SystemExit("\n".join(f"{e.sheet} {e.row}: {e.message}" for e in result.errors))
    counts = {kind: dict(+counts) for kind, counts in result.counts.items()}
    print(f"  {'':<34} {counts}")


def run(communities: int, grids: int) -> None:
    group = Unit.objects.create(name="聊城水务集团", kind=Unit.Kind.GROUP)
    units = [Unit.objects.create(name=f"第{n + 1}供水服务站", parent=group).name for n in range(15)]
    file = utility_workbook(communities, grids, units)
    vendor = connection.vendor
    print(f"areas import on {vendor}: {communities} communities, {grids} grids and specialists")
    result = timed("first import (all created)", lambda: import_areas(BytesIO(file.getvalue())))
    check(result)
    check(timed("re-import (all unchanged)", lambda: import_areas(BytesIO(file.getvalue()))))
    check(timed("check only (dry run)", lambda: import_areas(file, dry_run=True)))
    exported = BytesIO()
    timed("export", lambda: export_book().save(exported))
    check(timed("re-import of the export", lambda: import_areas(exported)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--communities", type=int, default=460)
    parser.add_argument("--grids", type=int, default=38)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(args.communities, args.grids)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
