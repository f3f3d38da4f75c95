"""`mains telemetry mqtt` against the Mosquitto on 127.0.0.1:1883, a fresh topic prefix each."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from mains.telemetry.ingest.mqtt import Subscriber
from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.store.reader import read_readings
from mains.telemetry.store.schema import Reading

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def prefix():
    return f"test-mains/{uuid.uuid4().hex[:10]}"


@pytest.fixture
def meters(city):
    Meter.objects.create(code="XG-M1", community=city.xingguang)
    Meter.objects.create(code="JX-M1", community=city.jinxiu)


@pytest.fixture
def publisher():
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    yield client
    client.disconnect()
    client.loop_stop()


@pytest.fixture
def subscriber(prefix):
    lines: list[str] = []
    sub = Subscriber(topic_prefix=prefix, qos=1, detect=False, say=lines.append)
    sub.lines = lines  # type: ignore[attr-defined]
    sub.start()
    assert sub.connected.wait(5), "no connection to Mosquitto on 127.0.0.1:1883"
    time.sleep(0.2)  # the subscription is acknowledged
    yield sub
    sub.client.disconnect()
    sub.client.loop_stop()


def send(client, topic: str, payload) -> None:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    client.publish(topic, body, qos=1).wait_for_publish(5)


def wait_for(sub: Subscriber, messages: int) -> None:
    deadline = time.monotonic() + 5
    while len(sub.buffer) < messages and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(sub.buffer) == messages


def test_readings_published_per_meter_are_stored_and_bad_ones_quarantined_with_reasons(
    meters, prefix, publisher, subscriber
):
    send(
        publisher,
        f"{prefix}/XG-M1",
        {"ts": "2026-03-01T22:00:00+08:00", "flow_m3h": 12.5, "pressure_mpa": 0.31},
    )
    send(
        publisher,
        f"{prefix}/XG-M1",
        [
            {"ts": "2026-03-01T22:15:00+08:00", "pressure_mpa": 0.3},
            {"ts": "2026-03-01T22:05:00+08:00", "flow_m3h": 1},
            "not an object",
        ],
    )
    send(publisher, f"{prefix}/JX-M1", {"ts": "2026-03-01T14:00:00Z", "flow_m3h": -3})
    send(publisher, f"{prefix}/NOPE", {"ts": "2026-03-01T14:00:00Z", "flow_m3h": 3})
    send(publisher, f"{prefix}/XG-M1", b"{not json")
    send(publisher, f"{prefix}/XG-M1/extra", {"ts": "2026-03-01T14:00:00Z", "flow_m3h": 3})
    wait_for(subscriber, 6)
    result = subscriber.flush()
    assert result is not None and (result.stored, result.quarantined) == (2, 6)
    assert read_readings(["XG-M1"], T0, T0 + timedelta(hours=1)) == [
        Reading("XG-M1", T0, 12.5, 0.31),
        Reading("XG-M1", T0 + timedelta(minutes=15), None, 0.3),
    ]
    refused = {
        (q.source.removeprefix(f"mqtt:{prefix}/"), q.line_number, q.reason)
        for q in QuarantinedReading.objects.all()
    }
    assert refused == {
        ("XG-M1", 2, "out of order"),
        ("XG-M1", None, "reading 3 is not a JSON object"),
        ("JX-M1", None, "impossible flow"),
        ("NOPE", None, "unknown meter"),
        ("XG-M1", None, "payload is not JSON"),
        ("XG-M1/extra", None, f"the topic is not {prefix}/<meter_id>"),
    }
    assert QuarantinedReading.objects.get(reason="payload is not JSON").raw == "{not json"
    assert subscriber.lines[-1].startswith("6 messages: 2 readings stored, 6 quarantined")


def test_the_subscriber_flushes_after_so_many_messages_or_a_second(
    meters, prefix, publisher, subscriber
):
    subscriber.flush_every = 3
    for minute in (0, 15):
        ts = (T0 + timedelta(minutes=minute)).isoformat()
        send(publisher, f"{prefix}/XG-M1", {"ts": ts, "flow_m3h": 1})
    wait_for(subscriber, 2)
    subscriber.flush_if_due()
    assert subscriber.stored == 0  # neither 3 messages nor a second yet
    send(
        publisher,
        f"{prefix}/XG-M1",
        {"ts": (T0 + timedelta(minutes=30)).isoformat(), "flow_m3h": 1},
    )
    wait_for(subscriber, 3)
    subscriber.flush_if_due()
    assert subscriber.stored == 3
    send(publisher, f"{prefix}/JX-M1", {"ts": T0.isoformat(), "flow_m3h": 1})
    wait_for(subscriber, 1)
    subscriber.last_flush -= 1.0
    subscriber.flush_if_due()
    assert subscriber.stored == 4


def test_the_subscriber_comes_back_after_losing_the_connection(
    meters, prefix, publisher, subscriber
):
    # Another client with the same id takes the session over; Mosquitto drops ours.
    thief = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=subscriber.client._client_id)
    thief.connect("127.0.0.1", 1883)
    thief.disconnect()
    deadline = time.monotonic() + 10
    while subscriber.connected.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert subscriber.connected.wait(10)
    time.sleep(0.2)
    send(publisher, f"{prefix}/XG-M1", {"ts": T0.isoformat(), "flow_m3h": 1})
    wait_for(subscriber, 1)
    assert subscriber.flush().stored == 1


def test_the_command_stops_cleanly_on_sigterm(prefix, tmp_path):
    env = {
        **os.environ,
        "MAINS_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "LANGUAGE_CODE": "en",
    }
    mains = Path(sys.executable).parent / "mains"
    process = subprocess.Popen(
        [str(mains), "telemetry", "mqtt", "--topic-prefix", prefix],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("Connected to 127.0.0.1:1883"), first
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == "Stopped: 0 readings stored, 0 quarantined."


def test_a_broker_out_of_reach_is_said_and_tried_again(prefix):
    lines: list[str] = []
    sub = Subscriber(port=1, topic_prefix=prefix, detect=False, say=lines.append)
    sub.client.reconnect_delay_set(min_delay=1, max_delay=1)
    sub.start()
    try:
        deadline = time.monotonic() + 5
        while len(lines) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sub.client.loop_stop()
    assert lines[:2] == ["Cannot reach the MQTT broker at 127.0.0.1:1; trying again"] * 2
    assert not sub.connected.is_set()
