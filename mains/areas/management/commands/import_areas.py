"""`mains import_areas FILE.xlsx [--dry-run]`: load communities, grids and assignments."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from mains.areas.imports import import_areas


def _track(items, description):
    return tqdm(items, desc=description, total=len(items), unit="row", leave=False)


class Command(BaseCommand):
    help = (
        "Import communities, grids and specialist assignments from an Excel workbook. "
        "All rows are checked first; a bad file is reported row by row and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook (as written by export_areas)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and count, save nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, "rb") as source:
                result = import_areas(source, dry_run=dry_run, track=_track)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(why)s") % {"file": file, "why": error.strerror}
            ) from None
        if not result.ok:
            for problem in result.sorted_errors():
                where = problem.sheet or file
                if problem.row:
                    where = _("%(sheet)s, row %(row)d") % {"sheet": where, "row": problem.row}
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(
                _("%(n)d problem(s) in %(file)s; nothing was saved.")
                % {"n": len(result.errors), "file": file}
            )
        for kind, counts in result.summary():
            self.stdout.write(
                _("%(kind)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"kind": kind, **{k: counts[k] for k in ("created", "updated", "unchanged")}}
            )
        if dry_run:
            self.stdout.write(_("Dry run: the file is good; nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported %(file)s.") % {"file": file}))
