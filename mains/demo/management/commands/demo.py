"""`mains demo build` builds the demo city; `mains demo logins` prints its log-ins."""

import argparse
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from mains.demo.build import DEFAULT_MONTHS, DEFAULT_ORDERS, DEFAULT_SEED, build_city
from mains.demo.organisation import DEMO_PASSWORD, ROLE_USERNAMES, SUPERVISOR_USERNAMES
from mains.demo.summary import residents_side_lines
from mains.desk.states import State
from mains.org.models import User
from mains.org.roles import HOME_URL_NAMES, Role


def _count(raw: str) -> int:
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a positive whole number.") % {"value": raw}
        )
    return value


def _months(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 36:
        raise argparse.ArgumentTypeError(
            _("Months must be a number between 0 and 36, not “%(value)s”.") % {"value": raw}
        )
    return value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    # Plain text: argparse cannot format a lazy translation (Django's own commands do the same).
    help = "Build the demo city (build) or print the demo log-ins (logins)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{build,logins}")
        build = sub.add_parser("build", help=_("Build the demo city unless the database has one."))
        build.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Wipe orders, communities, grids, units, demo users, boards, outages, "
                "residents and observations first."
            ),
        )
        build.add_argument(
            "--orders",
            type=_count,
            default=DEFAULT_ORDERS,
            help=_("Number of work orders (default %(default)s)."),
        )
        build.add_argument(
            "--months",
            type=_months,
            default=DEFAULT_MONTHS,
            help=_("Months of history ending now (default %(default)s)."),
        )
        build.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("Random seed: the same seed builds the same city."),
        )
        logins = sub.add_parser("logins", help=_("Print the demo log-ins."))
        logins.add_argument(
            "--base-url",
            default=settings.PUBLIC_BASE_URL,
            help=_("Where the site is served (default: PUBLIC_BASE_URL, %(default)s)."),
        )

    def handle(self, *args, **options):
        if options["subcommand"] == "build":
            self.build(options)
        else:
            self.logins(options["base_url"].rstrip("/"))

    def build(self, options) -> None:
        progress = options["verbosity"] >= 1
        report = build_city(
            orders=options["orders"],
            months=options["months"],
            seed=options["seed"],
            force=options["force"],
            progress=progress,
        )
        if not report.built:
            self.stdout.write(
                _(
                    "A city is already in the database (%(communities)s communities, %(orders)s "
                    "work orders): reusing it. Use --force to wipe it and build the demo anew."
                )
                % {"communities": report.communities, "orders": report.orders}
            )
            return
        history = report.history
        assert history is not None
        lines = [
            _("Demo city built in %(seconds).1f s.") % {"seconds": report.seconds},
            _("%(units)s units, %(grids)s grids, %(communities)s communities.")
            % {"units": report.units, "grids": report.grids, "communities": report.communities},
            _("%(orders)s work orders, %(events)s history entries, %(callbacks)s callbacks.")
            % {"orders": history.orders, "events": history.events, "callbacks": history.callbacks},
            _("Orders by state: %(states)s")
            % {
                "states": ", ".join(
                    f"{State(k).label} {v}" for k, v in sorted(history.states.items())
                )
            },
        ]
        if history.cold_snap:
            lines.append(
                _("Cold snap: %(first)s to %(last)s.")
                % {"first": history.cold_snap[0], "last": history.cold_snap[-1]}
            )
        if history.outage_day:
            lines.append(_("Outage day: %(day)s.") % {"day": history.outage_day})
        lines.extend(residents_side_lines(report))
        lines.append(
            _("Phases: %(phases)s")
            % {"phases": ", ".join(f"{name} {sec:.1f} s" for name, sec in report.phases)}
        )
        lines.append(_("Log-ins: mains demo logins"))
        for line in lines:
            self.stdout.write(line)

    def logins(self, base_url: str) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=ROLE_USERNAMES)}
        if not users:
            raise CommandError(_("There are no demo log-ins yet: run “mains demo build”."))
        rows = [(_("Role"), _("User name"), _("Password"), _("Home"))]
        for role in Role:
            user = users.get(role.value)
            if user is None:
                continue
            try:
                home = reverse(HOME_URL_NAMES[role])
            except (KeyError, NoReverseMatch):
                home = "/"
            rows.append((str(role.label), user.username, DEMO_PASSWORD, base_url + home))
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)))
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        more = SUPERVISOR_USERNAMES[1:]
        if User.objects.filter(username__in=more).exists():
            self.stdout.write(
                _("More social supervisors: %(first)s … %(last)s (same password).")
                % {"first": more[0], "last": more[-1]}
            )
