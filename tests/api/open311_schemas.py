"""The Open311 project's JSON schemas (/work/shared/open311-schema), as validators."""

import json
import os
from functools import cache
from pathlib import Path

import jsonschema_rs

SCHEMAS = Path(os.environ.get("OPEN311_SCHEMAS", "/work/shared/open311-schema"))
BASE = "file:///open311/"


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


@cache
def validator(name: str):
    registry = jsonschema_rs.Registry(
        [(BASE + part, _load(part)) for part in ("request.json", "service.json")]
    )
    schema = {**_load(name), "$id": BASE + name}
    return jsonschema_rs.validator_for(schema, registry=registry, validate_formats=True)


def errors_against(name: str, instance) -> list[str]:
    return [str(e) for e in validator(name).iter_errors(instance)]
