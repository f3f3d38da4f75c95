"""`mains telemetry import FILE`: store meter readings from CSV or Parquet (docs/telemetry.md)."""

from pathlib import Path

import pyarrow as pa
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from mains.telemetry.ingest.files import import_file, row_count
from mains.telemetry.ingest.intake import after_ingest

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
        total = row_count(path)
        with tqdm(total=total, desc=path.name, unit="row", leave=False, disable=None) as bar:
            result = import_file(path, source=path.name, progress=bar.update)
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(why)s") % {"file": path, "why": error.strerror or error}
        ) from None
    except (ValueError, UnicodeDecodeError, pa.ArrowException) as error:
        raise CommandError(f"{path}: {error}") from None
    command.stdout.write(
        _("%(stored)d readings stored, %(quarantined)d quarantined.")
        % {"stored": result.stored, "quarantined": result.quarantined}
    )
    if not no_detect and result.stored:
        alarms = after_ingest(result)
        if alarms is None:
            command.stdout.write(_("The detectors will run in the background."))
        else:
            command.stdout.write(_("%(n)d alarms raised.") % {"n": len(alarms)})
