"""`mains export_areas FILE.xlsx`: write communities, grids and assignments to Excel."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mains.areas.exports import export_book


class Command(BaseCommand):
    help = "Export communities, grids and specialist assignments as an Excel workbook."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file to write")

    def handle(self, *args, file, **options):
        try:
            export_book().save(file)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(why)s") % {"file": file, "why": error.strerror}
            ) from None
        self.stdout.write(self.style.SUCCESS(_("Exported to %(file)s.") % {"file": file}))
