"""`mains telemetry backtest`: the detectors over a file of history, alarms out as CSV."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from mains.telemetry.alarms.live_detection import meter_settings
from mains.telemetry.backtest import InputError, run_backtest
from mains.telemetry.detect.series import MeterSettings, to_us
from mains.telemetry.models import Meter

NAME = "backtest"
HELP = "run the detectors over history (CSV or Parquet) and write the alarms as CSV"

REASONS = {
    "columns": gettext_lazy("not four columns"),
    "meter_id": gettext_lazy("no meter_id"),
    "time": gettext_lazy("unparsable time"),
    "zone": gettext_lazy("time without a zone"),
    "flow_nan": gettext_lazy("flow_m3h is not a number"),
    "pressure_nan": gettext_lazy("pressure_mpa is not a number"),
    "neither": gettext_lazy("neither flow nor pressure"),
    "flow_range": gettext_lazy("impossible flow"),
    "pressure_range": gettext_lazy("impossible pressure"),
    "duplicate": gettext_lazy("duplicate reading"),
}


def add_arguments(parser) -> None:
    parser.add_argument(
        "--input", required=True, help="a CSV file, a Parquet file, a folder or a glob"
    )
    parser.add_argument("--out", required=True, help="where to write ALARMS.csv")
    parser.add_argument(
        "--from", dest="since", metavar="ISO", help="only alarms raised at or after (with a zone)"
    )
    parser.add_argument(
        "--to", dest="until", metavar="ISO", help="only alarms raised before (with a zone)"
    )
    parser.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="worker processes here (default) or a Dask cluster",
    )
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--scheduler", help="Dask scheduler address (default: a LocalCluster)")


def _moment(text: str | None, option: str) -> int | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CommandError(
            _("%(option)s must be an ISO-8601 time with a zone, e.g. 2026-03-01T00:00:00+08:00")
            % {"option": option}
        )
    return to_us(moment)


def known_settings() -> dict[str, MeterSettings]:
    """How the live job judges the meters the database knows; none if there is no database."""
    now = timezone.now()
    try:
        return {m.code: meter_settings(m, now) for m in Meter.objects.select_related("community")}
    except DatabaseError:
        return {}


def run(
    command,
    input: str,
    out: str,
    since: str | None = None,
    until: str | None = None,
    engine: str = "local",
    workers: int = 2,
    scheduler: str | None = None,
    **options,
) -> None:
    raised_from, raised_to = _moment(since, "--from"), _moment(until, "--to")
    if raised_from is not None and raised_to is not None and raised_to <= raised_from:
        raise CommandError(_("--to must be later than --from."))
    if workers < 1:
        raise CommandError(_("--workers must be at least 1."))
    out_path = Path(out)
    if not out_path.parent.is_dir():
        raise CommandError(_("Cannot write %(file)s: no such folder.") % {"file": out_path})
    bar = tqdm(desc=_("meters"), unit=" meters", leave=False, disable=None)
    try:
        summary = run_backtest(
            input,
            out_path,
            raised_from_us=raised_from,
            raised_to_us=raised_to,
            engine=engine,
            workers=workers,
            scheduler=scheduler,
            settings=known_settings(),
            progress=bar.update,
        )
    except InputError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(
            _("Cannot write %(file)s: %(why)s") % {"file": out_path, "why": error.strerror}
        ) from None
    finally:
        bar.close()
    command.stdout.write(
        _(
            "%(alarms)d alarms from %(meters)d meters and %(readings)d readings"
            " written to %(out)s in %(seconds).1f s."
        )
        % {
            "alarms": summary.alarms,
            "meters": summary.meters,
            "readings": summary.readings,
            "out": out_path,
            "seconds": summary.total_s,
        }
    )
    bad = sum(summary.bad.values())
    if bad:
        command.stdout.write(_("%(n)d rows left out:") % {"n": bad})
        for reason, count in summary.bad.most_common():
            command.stdout.write(f"  {count:>10}  {REASONS.get(reason, reason)}")
    if int(options.get("verbosity", 1)) >= 2:
        command.stdout.write(
            _(
                "%(chunks)d chunks; preparing %(prepare).1f s, reading %(read).1f s"
                " (CPU %(read_cpu).1f s) and detecting %(detect).1f s (CPU %(detect_cpu).1f s),"
                " summed over workers."
            )
            % {
                "chunks": summary.chunks,
                "prepare": summary.prepare_s,
                "read": summary.read_s,
                "read_cpu": summary.read_cpu_s,
                "detect": summary.detect_s,
                "detect_cpu": summary.detect_cpu_s,
            }
        )
