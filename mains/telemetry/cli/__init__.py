"""The subcommands of `mains telemetry`, one module each.

A module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(command, **options)``
(``command`` is the Django BaseCommand, for its stdout and style).
"""

from mains.telemetry.cli import backtest, compact, import_file, mqtt, retention

SUBCOMMANDS = [import_file, compact, retention, backtest, mqtt]
