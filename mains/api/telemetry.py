"""/api/v1/telemetry/batches: meter readings sent in batches, idempotent per batch id.

A batch is checked like a file (docs/telemetry.md): the readings that pass are stored, the
others are quarantined (source ``api:<batch_id>``, line = position in the batch from 1) and
answered with their reasons. Sending the same batch id again with the same readings answers
the first result and stores nothing twice; with other readings it is refused with 409.
"""

import json
from typing import Annotated

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from mains.api.auth import caller
from mains.api.errors import ApiError
from mains.api.idempotency import request_hash
from mains.api.schemas import ERRORS, ErrorOut, Text
from mains.org.roles import READINGS_ROLES
from mains.telemetry.ingest.intake import ImportResult, after_ingest
from mains.telemetry.ingest.messages import Record, cell_text, import_records
from mains.telemetry.models import IngestBatch

router = Router(tags=["telemetry"])

MAX_READINGS = 10_000


# A JSON number (an integer or a finite decimal), never true/false, "12", NaN or Infinity:
# the same rule as mains.telemetry.ingest.json_values for MQTT payloads.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class ReadingIn(Schema):
    meter_id: Text = Field(max_length=64, description="The meter's code, as registered.")
    ts: Text = Field(max_length=64, description="ISO-8601 time with a zone.")
    flow_m3h: Number | None = Field(
        None, description="Flow in m³/h, a JSON number (0–100,000 is stored) or null."
    )
    pressure_mpa: Number | None = Field(
        None, description="Pressure in MPa, a JSON number (0–2 is stored) or null."
    )


class BatchIn(Schema):
    batch_id: Text = Field(
        min_length=1,
        max_length=200,
        description="The sender's id of this batch; a repeat with it answers the first result.",
    )
    readings: list[ReadingIn] = Field(min_length=1, max_length=MAX_READINGS)


class RefusedOut(Schema):
    index: int = Field(description="Position of the reading in the batch, from 0.")
    reason: str = Field(description="Why it was refused, e.g. unknown meter, out of order.")


class BatchOut(Schema):
    batch_id: str
    stored: int = Field(description="Readings stored.")
    quarantined: int = Field(description="Readings refused and kept in the quarantine.")
    source: str = Field(description="The quarantine's source for this batch.")
    refused: list[RefusedOut]


def _records(source: str, readings: list[dict]) -> list[Record]:
    return [
        Record(
            source=source,
            number=position,
            raw=json.dumps(reading, ensure_ascii=False),
            cells=[
                reading["meter_id"],
                reading["ts"],
                cell_text(reading["flow_m3h"]),
                cell_text(reading["pressure_mpa"]),
            ],
        )
        for position, reading in enumerate(readings, start=1)
    ]


def receive_batch(user, batch_id: str, readings: list[dict]) -> tuple[dict, bool, ImportResult]:
    """(answer, replayed, result): store the batch once per sender and batch id."""
    digest = request_hash(readings)
    source = f"api:{batch_id}"[:255]
    result = ImportResult()
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = IngestBatch.objects.create(
                    sender=user, batch_id=batch_id, content_hash=digest
                )
        except IntegrityError:
            first = IngestBatch.objects.get(sender=user, batch_id=batch_id)
            if first.content_hash != digest:
                raise ApiError(
                    409,
                    "batch_id_reused",
                    _("This batch id was already sent with other readings."),
                ) from None
            if first.answer is None:
                raise ApiError(
                    409, "in_progress", _("The first request with this batch id is still running.")
                ) from None
            return first.answer, True, result
        import_records(_records(source, readings), result)
        answer = {
            "batch_id": batch_id,
            "stored": result.stored,
            "quarantined": result.quarantined,
            "source": source,
            "refused": [
                {"index": index, "reason": why}
                for index, why in sorted(((n or 1) - 1, why) for n, why in result.refused)
            ],
        }
        batch.stored, batch.quarantined, batch.answer = result.stored, result.quarantined, answer
        batch.save(update_fields=["stored", "quarantined", "answer"])
    return answer, False, result


@router.post(
    "/telemetry/batches",
    response={201: BatchOut, ERRORS: ErrorOut},
    summary="Send a batch of meter readings",
)
def send_batch(request: HttpRequest, response: HttpResponse, data: BatchIn):
    """Readings checked like a file: the good ones stored, the others quarantined with reasons.

    For network engineers' and administrators' tokens. Idempotent per `batch_id`: the same
    id with the same readings answers the first result (header `Idempotent-Replayed: true`)
    and stores nothing twice; with other readings, 409 `batch_id_reused`. A reading of the
    wrong shape (not an object, `ts` not text, a value neither number nor null) makes the
    whole request 422 naming it (`readings.3.flow_m3h`) and nothing is stored: `true`,
    `"12"`, NaN and Infinity are not numbers here.
    """
    user = caller(request)
    if user.role not in READINGS_ROLES:
        raise ApiError(403, "forbidden", _("Only network engineers may send readings."))
    readings = [reading.model_dump() for reading in data.readings]
    answer, replayed, result = receive_batch(user, data.batch_id, readings)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    else:
        after_ingest(result)
    return Status(201, answer)
