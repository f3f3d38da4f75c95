"""/telemetry/upload/: an engineer stores a file of readings and sees what was refused."""

import io
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.store.reader import read_readings

URL = "/telemetry/upload/"
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
CSV = (
    "meter_id,ts,flow_m3h,pressure_mpa\n"
    "XG-M1,2026-03-01T22:00:00+08:00,12.5,0.31\n"
    "XG-M1,2026-03-01T22:15:00+08:00,,0.30\n"
    "NOPE,2026-03-01T22:15:00+08:00,1,0.3\n"
)


@pytest.fixture
def meters(city):
    Meter.objects.create(code="XG-M1", community=city.xingguang)


def send(client, name: str, content: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def test_an_engineer_uploads_a_csv_file_and_sees_what_was_stored_and_refused(client, city, meters):
    client.force_login(city.engineer)
    assert client.get(URL).status_code == 200
    page = send(client, "night.csv", CSV.encode()).content.decode()
    assert "2 stored, 1 quarantined" in page
    assert "unknown meter: 1" in page
    refused = QuarantinedReading.objects.get()
    assert refused.source.startswith("upload ") and refused.source.endswith(" night.csv")
    assert "/telemetry/quarantine/?source=upload+" in page
    assert len(read_readings(["XG-M1"], T0, T0 + timedelta(hours=1))) == 2
    listed = client.get("/telemetry/quarantine/", {"source": refused.source}).content.decode()
    assert "NOPE,2026-03-01T22:15:00+08:00,1,0.3" in listed


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "large, on disk"])
def test_a_parquet_file_is_stored_too(client, city, meters, settings, on_disk):
    if on_disk:  # Django keeps uploads above this size in a temporary file, read in place
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    client.force_login(city.engineer)
    buffer = io.BytesIO()
    table = pa.table(
        {
            "meter_id": ["XG-M1"],
            "ts": pa.array([T0], pa.timestamp("us", tz="UTC")),
            "flow_m3h": [1.0],
            "pressure_mpa": [0.3],
        }
    )
    pq.write_table(table, buffer)
    page = send(client, "readings.parquet", buffer.getvalue()).content.decode()
    assert "1 stored, 0 quarantined" in page


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("readings.txt", CSV.encode(), "Choose a .csv or .parquet file."),
        ("readings.csv", b"id,time\nXG-M1,2026\n", "The first line must be: meter_id,ts"),
        ("readings.csv", b"\xff\xfe\x00bad", "it is not UTF-8 text"),
        ("readings.parquet", b"not parquet at all", "it is not a Parquet file"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_clearly_and_the_form_shown_again(
    client, city, meters, name, content, error
):
    client.force_login(city.engineer)
    response = send(client, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert 'name="file"' in page and "stored," not in page
    assert not QuarantinedReading.objects.exists()


def test_only_engineers_and_administrators_upload(client, city):
    client.force_login(city.dispatcher)
    assert client.get(URL).status_code == 403
    client.force_login(city.admin)
    assert client.get(URL).status_code == 200


def test_the_engineers_menu_leads_to_the_upload_page(client, city):
    client.force_login(city.engineer)
    assert f'href="{URL}"' in client.get("/telemetry/alarms/").content.decode()
