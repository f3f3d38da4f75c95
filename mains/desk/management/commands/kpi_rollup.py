"""`mains kpi_rollup [--all]`: recount the KPI rollup's dirty days (also every five
minutes), with --all also the days never counted (also every night)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from mains.desk.rollup import days_to_build, refresh


class Command(BaseCommand):
    help = "Recount the KPI rollup's days whose orders changed (--all: also days never counted)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="also the days never counted")

    def handle(self, *args, **options):
        started = time.perf_counter()
        everything = options["all"]
        total = len(days_to_build(everything))
        with tqdm(total=total, unit="day", disable=options["verbosity"] < 1 or not total) as bar:
            days = refresh(everything, progress=bar.update)
        self.stdout.write(
            _("KPI rollup: %(days)d days counted in %(seconds).1f s.")
            % {"days": days, "seconds": time.perf_counter() - started}
        )
