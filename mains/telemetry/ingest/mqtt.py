"""Meter readings from MQTT: buffered, checked and stored like a file, flushed every second.

Topics: ``<prefix>/<meter_id>`` (``mains/telemetry/XG-M1``), payload a JSON object
``{"ts": "2026-03-01T22:00:00+08:00", "flow_m3h": 12.5, "pressure_mpa": 0.31}`` or a JSON
list of such objects. Every reading goes through the checks of a file row; what is refused,
and every payload that cannot be read, is quarantined with source ``mqtt:<topic>``. A value
that is not a JSON number or null (true, "12", NaN) is refused with its reason
(json_values.py), never read as a number.

paho-mqtt's network thread only appends messages to a buffer; the caller's thread flushes
it (every ``flush_every`` messages or ``flush_seconds``), so a slow disk never blocks the
connection. The command stores in a second process, so receiving and storing each have a
core. The connection is re-made by paho after a loss (1 to 30 s apart) and the
subscription renewed on each connect.
"""

import json
import multiprocessing
import multiprocessing.process
import queue
import signal
import threading
import time
import uuid
from collections.abc import Callable

import paho.mqtt.client as mqtt
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from mains.telemetry.ingest.duplicates import StoreState
from mains.telemetry.ingest.intake import ImportResult, after_ingest
from mains.telemetry.ingest.intake import quarantine as keep_refused
from mains.telemetry.ingest.json_values import reading_refusal
from mains.telemetry.ingest.messages import Record, cell_text, import_records
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
        reason = reading_refusal(data)
        if reason is not None:
            return [], [reason]
        return [_record(source, None, text, meter, data)], []
    if not isinstance(data, list):
        return [], [_("payload is not a JSON object or a list of objects")]
    records, refused = [], []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            refused.append(_("reading %(n)d is not a JSON object") % {"n": number})
        elif (reason := reading_refusal(item)) is not None:
            refused.append(_("reading %(n)d: %(reason)s") % {"n": number, "reason": reason})
        else:
            raw = json.dumps(item, ensure_ascii=False)
            records.append(_record(source, number, raw, meter, item))
    return records, refused


def _record(source: str, number: int | None, raw: str, meter: str, data: dict) -> Record:
    cells = [meter, cell_text(data.get("ts")), cell_text(data.get("flow_m3h"))]
    cells.append(cell_text(data.get("pressure_mpa")))
    return Record(source=source, number=number, raw=raw, cells=cells)


class BufferedClient(mqtt.Client):
    """paho's client reading the socket 256 KiB at a time instead of a few bytes per call.

    paho reads each packet with three or more ``recv`` calls and goes back to ``select``
    after each; at thousands of messages a second that is most of its time. Here
    ``_sock_recv`` serves from a buffer filled by one ``recv``, and ``loop_read`` goes on
    while the buffer holds bytes (it is always empty when it returns, so ``select`` still
    tells when more arrive). The buffer is dropped when the socket changes (a reconnect).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rx = b""
        self._rx_at = 0
        self._rx_sock: object = None

    def _sock_recv(self, bufsize: int) -> bytes:
        if self._rx_sock is not self._sock:
            self._rx, self._rx_at, self._rx_sock = b"", 0, self._sock
        if self._rx_at >= len(self._rx):
            self._rx, self._rx_at = super()._sock_recv(262_144), 0
            if not self._rx:
                return b""
        chunk = self._rx[self._rx_at : self._rx_at + bufsize]
        self._rx_at += len(chunk)
        return chunk

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        rc = super().loop_read(max_packets)
        while (
            rc == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS
            and self._sock is not None
            and self._rx_sock is self._sock
            and self._rx_at < len(self._rx)
        ):
            rc = super().loop_read(max_packets)
        return rc


def store_messages(
    prefix: str, messages: list[tuple[str, bytes]], state: StoreState, detect: bool
) -> tuple[ImportResult, str]:
    """Check and store a buffer of (topic, payload); the result and a line about it."""
    began = time.perf_counter()
    result = ImportResult()
    records: list[Record] = []
    refused: list[QuarantinedReading] = []
    for topic, payload in messages:
        found, reasons = readings_of(prefix, topic, payload)
        records += found
        for reason in reasons:
            raw = payload.decode("utf-8", "replace")
            refused.append(QuarantinedReading(source=f"mqtt:{topic}", raw=raw, reason=reason))
    keep_refused(refused, result)
    import_records(records, result, state)
    if detect:
        after_ingest(result)
    line = _(
        "%(messages)d messages: %(stored)d readings stored, "
        "%(quarantined)d quarantined (%(ms).0f ms)"
    ) % {
        "messages": len(messages),
        "stored": result.stored,
        "quarantined": result.quarantined,
        "ms": (time.perf_counter() - began) * 1000,
    }
    return result, line


class _Freshness:
    """Forget the meters' last reading times now and then: a file import may have stored."""

    def __init__(self, state: StoreState):
        self.state, self.since = state, time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.since > STATE_TTL_SECONDS:
            self.state.forget()
            self.since = time.monotonic()


def _store_loop(prefix: str, detect: bool, inbox, outbox) -> None:
    """The storing process: buffers in, (messages, stored, quarantined, line) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the receiver stops us, after a last flush
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    state = StoreState()
    fresh = _Freshness(state)
    while (messages := inbox.get()) is not None:
        fresh.check()
        try:
            result, line = store_messages(prefix, messages, state, detect)
        except Exception as error:  # noqa: BLE001 - reported, the next buffer may succeed
            outbox.put((len(messages), 0, 0, f"{type(error).__name__}: {error}"))
            state.forget()
            continue
        outbox.put((len(messages), result.stored, result.quarantined, line))
    connections.close_all()


class Subscriber:
    """Receives on paho's network thread; stores on the caller's thread or, with
    ``process=True``, in a forked storing process, so that receiving and storing each have
    a core (the command does this)."""

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
        process: bool = False,
    ):
        self.host, self.port, self.qos = host, port, qos
        self.prefix = topic_prefix.rstrip("/")
        self.flush_every, self.flush_seconds, self.detect = flush_every, flush_seconds, detect
        self.say = say or (lambda line: None)
        self.buffer: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()
        self.state = StoreState()
        self.fresh = _Freshness(self.state)
        self.last_flush = time.monotonic()
        self.stored = self.quarantined = self.received = 0
        self.first_message_at: float | None = None
        self.last_stored_at: float | None = None
        self.connected = threading.Event()
        self.use_process = process
        self.worker: multiprocessing.process.BaseProcess | None = None
        self.client = BufferedClient(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"mains-{uuid.uuid4().hex[:12]}"
        )
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        # paho calls back on its own thread, which has not the caller's language.
        self.language = translation.get_language()
        self.client.on_connect = self._in_language(self._on_connect)
        self.client.on_disconnect = self._in_language(self._on_disconnect)
        self.client.on_connect_fail = self._in_language(self._on_connect_fail)
        self.client.on_message = self._on_message

    def _in_language(self, callback: Callable) -> Callable:
        def in_language(*args):
            with translation.override(self.language):
                return callback(*args)

        return in_language

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

    def _on_connect_fail(self, client, userdata) -> None:
        self.say(
            _("Cannot reach the MQTT broker at %(host)s:%(port)d; trying again")
            % {"host": self.host, "port": self.port}
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
        self.received += 1

    def start(self) -> None:
        if self.use_process:
            # Fork before paho's thread exists; the child opens its own database connection.
            connections.close_all()
            context = multiprocessing.get_context("fork")
            self.inbox, self.outbox = context.Queue(), context.Queue()
            self.worker = context.Process(
                target=_store_loop,
                args=(self.prefix, self.detect, self.inbox, self.outbox),
                name="mains-mqtt-store",
                daemon=True,
            )
            self.worker.start()
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        """Disconnect, store what is buffered, and wait for the storing process."""
        self.client.disconnect()
        self.client.loop_stop()
        self.flush()
        if self.worker is not None:
            self.inbox.put(None)
            self.worker.join(timeout=120)
            self.collect()
            self.worker = None

    def flush_if_due(self) -> None:
        due = time.monotonic() - self.last_flush >= self.flush_seconds
        if len(self.buffer) >= self.flush_every or (due and self.buffer):
            self.flush()
        elif due:
            self.last_flush = time.monotonic()
        self.collect()

    def flush(self) -> ImportResult | None:
        """Store what is buffered (or hand it to the storing process); say a line about it."""
        with self.lock:
            messages, self.buffer = self.buffer, []
        self.last_flush = time.monotonic()
        if not messages:
            return None
        if self.worker is not None:
            if not self.worker.is_alive():
                raise RuntimeError(_("The storing process has stopped."))
            self.inbox.put(messages)
            return None
        self.fresh.check()
        result, line = store_messages(self.prefix, messages, self.state, self.detect)
        self._account(result.stored, result.quarantined, line)
        return result

    def collect(self) -> None:
        """Take in what the storing process reports."""
        if self.worker is None and not self.use_process:
            return
        while True:
            try:
                _count, stored, quarantined, line = self.outbox.get_nowait()
            except queue.Empty:
                return
            self._account(stored, quarantined, line)

    def _account(self, stored: int, quarantined: int, line: str) -> None:
        self.stored += stored
        self.quarantined += quarantined
        self.last_stored_at = time.perf_counter()
        self.say(line)

    def run(self, stop: threading.Event) -> None:
        """Receive and flush until ``stop`` is set, then flush what is left."""
        self.start()
        try:
            while not stop.wait(0.05):
                self.flush_if_due()
        finally:
            self.stop()
