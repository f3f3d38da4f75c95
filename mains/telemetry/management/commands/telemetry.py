"""`mains telemetry …`: the network watch's commands (one module each in mains/telemetry/cli)."""

from django.core.management.base import BaseCommand

from mains.telemetry.cli import SUBCOMMANDS


class Command(BaseCommand):
    help = "Network watch: meter readings, detectors, back-test."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        for module in SUBCOMMANDS:
            module.add_arguments(subcommands.add_parser(module.NAME, help=module.HELP))

    def handle(self, *args, subcommand, **options):
        for module in SUBCOMMANDS:
            if module.NAME == subcommand:
                module.run(self, **options)
