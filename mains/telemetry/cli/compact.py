"""`mains telemetry compact`: merge the small reading files of each day (see the docs)."""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from mains.telemetry.store.compaction import compact, days_to_compact
from mains.telemetry.store.days import parts_of
from mains.telemetry.store.upkeep import UpkeepBusy

NAME = "compact"
HELP = "merge the small reading files of each closed day into one sorted file"


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a day; write it as YYYY-MM-DD.") % {"value": raw}
        ) from None


def add_arguments(parser) -> None:
    parser.add_argument("--day", help="only this UTC day (YYYY-MM-DD); today's too")
    parser.add_argument(
        "--all",
        action="store_true",
        help="also today's partition, which is still being written",
    )


def run(command, day: str | None = None, all: bool = False, **options) -> None:
    if day is not None:
        days = [_day(day)]
        force = True
    else:
        days = days_to_compact(force=all)
        force = all
    try:
        done = compact(
            days,
            force=force,
            progress=lambda items: tqdm(items, desc=NAME, unit=" day", leave=False, disable=None),
        )
    except UpkeepBusy:
        raise CommandError(
            _("Another compaction or retention run is busy with the store; try again later.")
        ) from None
    for result in done:
        command.stdout.write(
            _("%(day)s: %(files)d files merged into one (%(rows)d readings, %(seconds).1f s).")
            % {
                "day": result.day.isoformat(),
                "files": result.files_before,
                "rows": result.rows,
                "seconds": result.seconds,
            }
        )
    if not done:
        if day is not None and not parts_of(days[0]):
            command.stdout.write(_("No readings are stored for %(day)s.") % {"day": day})
        else:
            command.stdout.write(_("Nothing to compact: every closed day is one file already."))
