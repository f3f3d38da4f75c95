"""`mains telemetry retention`: drop the day partitions older than the retention."""

import argparse

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mains.telemetry.store.retention import drop_days, expired_days, retention_days
from mains.telemetry.store.upkeep import UpkeepBusy

NAME = "retention"
HELP = "drop the days older than TELEMETRY_RETENTION_DAYS (0 keeps everything)"


def _keep(raw: str) -> int:
    if not raw.isdigit():
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a number of days (0 or more).") % {"value": raw}
        )
    return int(raw)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--days", type=_keep, help="keep this many days instead of TELEMETRY_RETENTION_DAYS"
    )
    parser.add_argument("--dry-run", action="store_true", help="only list the days to drop")


def run(command, days: int | None = None, dry_run: bool = False, **options) -> None:
    keep = retention_days() if days is None else days
    if keep == 0:
        command.stdout.write(_("Retention is 0: readings are kept forever."))
        return
    expired = expired_days(keep)
    if dry_run:
        for day in expired:
            command.stdout.write(day.isoformat())
        command.stdout.write(
            _("%(n)d days older than %(keep)d days would be dropped.")
            % {"n": len(expired), "keep": keep}
        )
        return
    try:
        dropped = drop_days(expired)
    except UpkeepBusy:
        raise CommandError(
            _("Another compaction or retention run is busy with the store; try again later.")
        ) from None
    command.stdout.write(
        _("%(n)d days older than %(keep)d days dropped.") % {"n": len(dropped), "keep": keep}
    )
