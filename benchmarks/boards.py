"""Time the batch PDF of every community's notice board (one A3 page each).

    .venv/bin/python -m benchmarks.boards [--repeat 1]

Reads the communities of the database the settings point at: the demo city
(`mains demo build`, 460 communities) when it is there. Without enough communities it
builds a throw-away city of 460 in a temporary SQLite database. Renders exactly what the
batch job renders (one HTML document, one WeasyPrint render) and writes nothing to the
database; the PDF goes to a temporary file and its pages are counted.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mains.settings")
WANTED = 460


def _use_temporary_database_if_needed() -> None:
    import django

    django.setup()
    from django.db.utils import OperationalError

    from mains.areas.models import Community

    try:
        if Community.objects.count() >= WANTED:
            return
    except OperationalError:
        pass
    print(f"fewer than {WANTED} communities here: building a temporary city", file=sys.stderr)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    folder = tempfile.mkdtemp(prefix="mains-boards-bench-")
    settings.DATABASES["default"] = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(folder, "bench.sqlite3"),
    }
    connections.close_all()
    del connections["default"]
    call_command("migrate", verbosity=0)
    _make_city()


def _make_city() -> None:
    from mains.areas.models import Community, Grid, Specialist
    from mains.org.models import Unit, User

    unit = Unit.objects.create(name="测试供水服务站", kind=Unit.Kind.TEAM)
    for g in range(38):
        user = User.objects.create_user(username=f"bench{g}", role="specialist", unit=unit)
        spec = Specialist.objects.create(user=user, name=f"专员{g}", phone=f"139{g:08d}")
        grid = Grid.objects.create(
            code=f"B{g:02d}", name=f"测试网格{g}", unit=unit, specialist=spec
        )
        Community.objects.bulk_create(
            Community(name=f"测试小区{g}-{n}", address=f"测试路{n}号", grid=grid)
            for n in range(WANTED // 38 + 1)
        )


def _pages(path: str) -> str:
    """Pages of the PDF by poppler's pdfinfo, when installed."""
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        return "?"
    return next(line.split()[1] for line in out.stdout.splitlines() if line.startswith("Pages:"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    _use_temporary_database_if_needed()

    from mains.areas.models import Community
    from mains.boards.render import board_pdf, communities_for_print

    communities = communities_for_print(Community.objects.all())[:WANTED]
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        pdf = board_pdf(communities)
        timings.append(time.perf_counter() - started)
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(pdf)
    pages = _pages(handle.name)
    best = min(timings)
    print(f"{len(communities)} boards, {pages} pages, {len(pdf) / 1e6:.1f} MB: {best:.1f} s")
    print(f"PDF kept at {handle.name}")


if __name__ == "__main__":
    main()
