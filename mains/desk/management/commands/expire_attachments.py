"""`mains expire_attachments [--days N] [--dry-run]`: delete the photos and files of orders
finished longer ago than the retention (also every night)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk.retention import do_expire_attachments


class Command(BaseCommand):
    help = "Delete the photos and files of orders closed or cancelled past the retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="days after closing (default: ATTACHMENT_RETENTION_DAYS)"
        )
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError(_("--days must be 0 or more."))
        result = do_expire_attachments(days=days, dry_run=dry_run)
        if result.cutoff is None:
            self.stdout.write(_("The retention is 0: photos and files are kept for ever."))
            return
        for number, count in result.orders.items():
            self.stdout.write(f"{number}\t{count}")
        summary = (
            _("%(files)d files of %(orders)d orders closed before %(cutoff)s would be deleted.")
            if dry_run
            else _("%(files)d files of %(orders)d orders closed before %(cutoff)s deleted.")
        )
        self.stdout.write(
            self.style.SUCCESS(
                summary
                % {
                    "files": result.files,
                    "orders": len(result.orders),
                    "cutoff": timezone.localdate(result.cutoff).isoformat(),
                }
            )
        )
        if result.failed:
            raise CommandError(
                _("%(count)d files could not be deleted; see the log.") % {"count": result.failed}
            )
