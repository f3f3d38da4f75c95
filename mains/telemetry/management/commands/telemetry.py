"""`mains telemetry import FILE`: store meter readings from CSV or Parquet (docs/telemetry.md)."""

from pathlib import Path

import pyarrow as pa
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from mains.telemetry.ingest import import_rows, read_any


class Command(BaseCommand):
    help = "Network watch: import meter readings."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        importer = subcommands.add_parser(
            "import", help="store readings from CSV or Parquet; refused rows are quarantined"
        )
        importer.add_argument("file", help="CSV or .parquet with meter_id,ts,flow_m3h,pressure_mpa")
        importer.add_argument(
            "--no-detect", action="store_true", help="do not run the detectors afterwards"
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "import":
            self.import_file(Path(options["file"]), detect=not options["no_detect"])

    def import_file(self, path: Path, detect: bool) -> None:
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
        self.stdout.write(
            _("%(stored)d readings stored, %(quarantined)d quarantined.")
            % {"stored": len(result.stored), "quarantined": result.quarantined}
        )
        if detect and result.stored:
            self.run_detectors(result)

    def run_detectors(self, result) -> None:
        try:
            from mains.telemetry.detection import run_detectors
        except ImportError:
            return
        first = min(r.ts for r in result.stored)
        alarms = run_detectors(result.meter_ids, since=first)
        self.stdout.write(_("%(n)d alarms raised.") % {"n": len(alarms)})
