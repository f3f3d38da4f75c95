"""`mains telemetry mqtt`: store meter readings arriving over MQTT (docs/telemetry-ingestion.md)."""

import signal
import threading

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mains.telemetry.ingest.mqtt import Subscriber

NAME = "mqtt"
HELP = "subscribe to <prefix>/<meter_id> and store the readings; Ctrl+C or SIGTERM stops"


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="MQTT broker (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=1883, help="default 1883")
    parser.add_argument(
        "--topic-prefix", default="mains/telemetry", help="topics are <prefix>/<meter_id>"
    )
    parser.add_argument("--qos", type=int, choices=[0, 1], default=1, help="default 1")
    parser.add_argument(
        "--flush-every", type=int, default=20_000, help="store after this many messages"
    )
    parser.add_argument(
        "--flush-seconds", type=float, default=1.0, help="and at least this often (default 1)"
    )
    parser.add_argument(
        "--no-detect", action="store_true", help="do not run the detectors after each flush"
    )


def run(command, **options) -> None:
    if options["flush_every"] < 1 or options["flush_seconds"] <= 0:
        raise CommandError(_("--flush-every and --flush-seconds must be positive."))
    stop = threading.Event()

    def ask_to_stop(signum, frame) -> None:
        command.stdout.write(_("Stopping: storing what is buffered."))
        stop.set()

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    subscriber = Subscriber(
        host=options["host"],
        port=options["port"],
        topic_prefix=options["topic_prefix"],
        qos=options["qos"],
        flush_every=options["flush_every"],
        flush_seconds=options["flush_seconds"],
        detect=not options["no_detect"],
        say=command.stdout.write,
        process=True,
    )
    try:
        subscriber.run(stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    command.stdout.write(
        _("Stopped: %(stored)d readings stored, %(quarantined)d quarantined.")
        % {"stored": subscriber.stored, "quarantined": subscriber.quarantined}
    )
