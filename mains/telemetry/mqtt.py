"""Meter readings from MQTT: buffered, checked and stored like a file, flushed every second.

Topics: ``<prefix>/<meter_id>`` (``mains/telemetry/XG-M1``), payload a JSON object
``{"ts": "2026-03-01T22:00:00+08:00", "flow_m3h": 12.5, "pressure_mpa": 0.31}`` or a JSON
list of such objects. Every reading goes through the checks of a file row; what is refused,
and every payload that cannot be read, is quarantined with source ``mqtt:<topic>``.

paho-mqtt's network thread only appends messages to a buffer; the caller's thread flushes
it (every ``flush_every`` messages or ``flush_seconds``), so a slow disk never blocks the
connection. The connection is re-made by paho after a loss (1 to 30 s apart) and the
subscription renewed on each connect.
"""

import json
import threading
import time
import uuid
from collections.abc import Callable

import paho.mqtt.client as mqtt
from django.utils.translation import gettext as _

from mains.telemetry import ingest_fast
from mains.telemetry.ingest import ImportResult, Record, after_ingest, cell_text, import_records
from mains.telemetry.ingest import quarantine as keep_refused
from mains.telemetry.models import QuarantinedReading

STATE_TTL_SECONDS = 60  # last-reading times are asked of the store again after this


def readings_of(prefix: str, topic: str, payload: bytes) -> tuple[list[Record], list[str]]:
    """(records, reasons why the message as a whole is refused) of one message."""
    meter = topic[len(prefix) + 1 :] if topic.startswith(prefix + "/") else ""
    source = f"mqtt:{topic}"
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return [], [_("payload is not UTF-8 text")]
    if not meter or "/" in meter:
        return [], [_("the topic is not %(layout)s") % {"layout": prefix + "/<meter_id>"}]
    try:
        data = json.loads(text)
    except ValueError:
        return [], [_("payload is not JSON")]
    if isinstance(data, dict):
        return [_record(source, None, text, meter, data)], []
    if not isinstance(data, list):
        return [], [_("payload is not a JSON object or a list of objects")]
    records, refused = [], []
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            records.append(_record(source, number, json.dumps(item), meter, item))
        else:
            refused.append(_("reading %(n)d is not a JSON object") % {"n": number})
    return records, refused


def _record(source: str, number: int | None, raw: str, meter: str, data: dict) -> Record:
    cells = [meter, cell_text(data.get("ts")), cell_text(data.get("flow_m3h"))]
    cells.append(cell_text(data.get("pressure_mpa")))
    return Record(source=source, number=number, raw=raw, cells=cells)


class Subscriber:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 1883,
        topic_prefix: str = "mains/telemetry",
        qos: int = 1,
        flush_every: int = 20_000,
        flush_seconds: float = 1.0,
        detect: bool = True,
        say: Callable[[str], object] | None = None,
    ):
        self.host, self.port, self.qos = host, port, qos
        self.prefix = topic_prefix.rstrip("/")
        self.flush_every, self.flush_seconds, self.detect = flush_every, flush_seconds, detect
        self.say = say or (lambda line: None)
        self.buffer: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()
        self.state = ingest_fast.StoreState()
        self.state_since = time.monotonic()
        self.last_flush = time.monotonic()
        self.stored = self.quarantined = self.received = 0
        self.first_message_at: float | None = None
        self.connected = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"mains-{uuid.uuid4().hex[:12]}"
        )
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            self.say(_("MQTT connection refused: %(why)s") % {"why": reason_code})
            return
        client.subscribe(self.prefix + "/#", qos=self.qos)
        self.connected.set()
        self.say(
            _("Connected to %(host)s:%(port)d, listening on %(topic)s")
            % {"host": self.host, "port": self.port, "topic": self.prefix + "/#"}
        )

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self.connected.clear()
        if reason_code != 0:
            self.say(_("MQTT connection lost (%(why)s); reconnecting") % {"why": reason_code})

    def _on_message(self, client, userdata, message) -> None:
        if self.first_message_at is None:
            self.first_message_at = time.perf_counter()
        with self.lock:
            self.buffer.append((message.topic, message.payload))

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.flush()

    def flush_if_due(self) -> None:
        due = time.monotonic() - self.last_flush >= self.flush_seconds
        if len(self.buffer) >= self.flush_every or (due and self.buffer):
            self.flush()
        elif due:
            self.last_flush = time.monotonic()

    def flush(self) -> ImportResult | None:
        """Check and store what is buffered; say one line about it."""
        with self.lock:
            messages, self.buffer = self.buffer, []
        self.last_flush = time.monotonic()
        if not messages:
            return None
        if time.monotonic() - self.state_since > STATE_TTL_SECONDS:
            self.state.forget()  # another writer (a file import) may have stored since
            self.state_since = time.monotonic()
        began = time.perf_counter()
        result = ImportResult(f"mqtt:{self.prefix}")
        records: list[Record] = []
        refused: list[QuarantinedReading] = []
        for topic, payload in messages:
            found, reasons = readings_of(self.prefix, topic, payload)
            records.extend(found)
            raw = payload.decode("utf-8", "replace")
            refused.extend(
                QuarantinedReading(source=f"mqtt:{topic}", raw=raw, reason=reason)
                for reason in reasons
            )
        keep_refused(refused, result)
        import_records(records, result, self.state)
        self.received += len(messages)
        self.stored += result.stored
        self.quarantined += result.quarantined
        if self.detect:
            after_ingest(result)
        self.say(
            _(
                "%(messages)d messages: %(stored)d readings stored, "
                "%(quarantined)d quarantined (%(ms).0f ms)"
            )
            % {
                "messages": len(messages),
                "stored": result.stored,
                "quarantined": result.quarantined,
                "ms": (time.perf_counter() - began) * 1000,
            }
        )
        return result

    def run(self, stop: threading.Event) -> None:
        """Receive and flush until ``stop`` is set, then flush what is left."""
        self.start()
        try:
            while not stop.wait(0.05):
                self.flush_if_due()
        finally:
            self.stop()
