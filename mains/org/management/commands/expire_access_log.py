from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mains.org.retention import MINIMUM_DAYS, expire_access_log


class Command(BaseCommand):
    help = (
        "Delete access log entries older than ACCESS_LOG_RETENTION_DAYS (also every night); "
        f"never younger than {MINIMUM_DAYS} days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Keep this many days instead.")
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, **options) -> None:
        try:
            expiry = expire_access_log(days=options["days"], dry_run=options["dry_run"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if expiry.before is None:
            self.stdout.write("The access log is kept forever (ACCESS_LOG_RETENTION_DAYS=0).")
            return
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{verb} {expiry.deleted} access log entries from before "
            f"{expiry.before:%Y-%m-%d %H:%M} UTC (kept {expiry.days} days)."
        )
