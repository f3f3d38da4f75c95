"""`mains telemetry import FILE`: store meter readings from CSV or Parquet (docs/telemetry.md)."""

from pathlib import Path

import pyarrow as pa
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from mains.telemetry.ingest import import_rows, read_any

NAME = "import"
HELP = "store readings from CSV or Parquet; refused rows are quarantined"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="CSV or .parquet with meter_id,ts,flow_m3h,pressure_mpa")
    parser.add_argument(
        "--no-detect", action="store_true", help="do not run the detectors afterwards"
    )


def run(command, file: str, no_detect: bool = False, **options) -> None:
    path = Path(file)
    try:
        rows = list(read_any(path))
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(why)s") % {"file": path, "why": error.strerror}
        ) from None
    except (ValueError, UnicodeDecodeError, pa.ArrowException) as error:
        raise CommandError(f"{path}: {error}") from None
    progress = tqdm(rows, desc=path.name, unit="row", leave=False, disable=None)
    result = import_rows(progress, source=path.name)
    command.stdout.write(
        _("%(stored)d readings stored, %(quarantined)d quarantined.")
        % {"stored": len(result.stored), "quarantined": result.quarantined}
    )
    if not no_detect and result.stored:
        from mains.telemetry.detection import run_detectors

        first = min(r.ts for r in result.stored)
        alarms = run_detectors(result.meter_ids, since=first)
        command.stdout.write(_("%(n)d alarms raised.") % {"n": len(alarms)})
