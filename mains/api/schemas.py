"""Request and response shapes of /api/v1/ (pydantic, via Django Ninja)."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from ninja.responses import codes_4xx
from pydantic import AfterValidator, Field

from mains.api.pagination import Envelope
from mains.lib.text import NUL, clean_identifier, clean_line, clean_prose, is_invisible

INT32 = 2**31 - 1

# What the validators below enforce, written as JSON Schema (ECMA-262) patterns so the
# OpenAPI schema says it too; tests/security/test_openapi_strictness.py holds them equal.
_NUL = "\\u0000"


def _escaped(code: int) -> str:
    # Above the BMP, the `\x{…}` form: what the validator (Rust regex) and schemathesis read.
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\x{{{code:x}}}"


def _blank_ranges() -> str:
    """What leaves a text empty, as a class's ranges: Python's whitespace (str.strip) and the
    invisible characters the cleaners of mains.lib.text remove (NUL apart: refused)."""
    codes = [
        c
        for c in range(1, 0x110000)
        if not 0xD800 <= c <= 0xDFFF and (chr(c).isspace() or is_invisible(chr(c)))
    ]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(_escaped(a) if a == b else f"{_escaped(a)}-{_escaped(b)}" for a, b in ranges)


_BLANKS = _blank_ranges()
NO_NUL = f"^[^{_NUL}]*$"
NOT_BLANK = f"^[^{_NUL}]*[^{_NUL}{_BLANKS}][^{_NUL}]*$"
YEARS_2000_TO_2100 = "^(20[0-9]{2}|2100)-"


class JsonPattern:
    """Adds a `pattern` to a field's JSON schema (its validator enforces the same rule)."""

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        schema = handler(core_schema)
        schema["pattern"] = self.pattern
        return schema


def _no_nul(value: str) -> str:
    if NUL in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty or only blanks")
    return value


def _sane_moment(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError("must be between the years 2000 and 2100")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    # In UTC: ISO-8601 allows offsets up to ±23:59, PostgreSQL only below ±16:00.
    return value.astimezone(UTC)


# What people type, cleaned as mains.lib.text says: prose (descriptions, notes), one line
# (names, addresses, phones as typed) and codes (category codes, order numbers); NUL refused.
_PROSE = (AfterValidator(_no_nul), AfterValidator(clean_prose))
_LINE = (AfterValidator(_no_nul), AfterValidator(clean_line))
_CODE = (AfterValidator(_no_nul), AfterValidator(clean_identifier))
Text = Annotated[str, *_PROSE, JsonPattern(NO_NUL)]
Line = Annotated[str, *_LINE, JsonPattern(NO_NUL)]
Code = Annotated[str, *_CODE, JsonPattern(NO_NUL)]
# The same, and not empty once cleaned.
Required = Annotated[str, *_PROSE, AfterValidator(_not_blank), JsonPattern(NOT_BLANK)]
RequiredCode = Annotated[str, *_CODE, AfterValidator(_not_blank), JsonPattern(NOT_BLANK)]
Moment = Annotated[datetime, AfterValidator(_sane_moment), JsonPattern(YEARS_2000_TO_2100)]
Id = Annotated[int, Field(ge=1, le=INT32)]
Version = Annotated[
    int,
    Field(
        ge=1,
        le=INT32,
        description="The order's `version` as you read it; 409 `conflict` if it changed since.",
    ),
]
# What clean_phone_value accepts, in its plain forms: a mobile, a landline, a local number.
PHONE = "^((\\+86|0086)?1[3-9][0-9]{9}|0[0-9]{2,3}-?[2-9][0-9]{6,7}|[2-9][0-9]{6,7})?$"


class ErrorOut(Schema):
    error: str = Field(description="A stable code, e.g. conflict, forbidden, invalid.")
    detail: str = Field(description="What went wrong, for a person to read.")
    error_id: str | None = Field(None, description="500 only: the id the error was logged with.")


# Every error answers ErrorOut: the client's (Ninja's codes_4xx leaves out 422), an
# unexpected one (500, with its error_id) and the database's being down (503, Retry-After).
ERRORS = codes_4xx | {422, 500, 503}


class OrderIn(Schema):
    model_config = {
        "json_schema_extra": {
            "anyOf": [
                {"required": ["community"], "properties": {"community": {"type": "integer"}}},
                {"required": ["address"], "properties": {"address": {"pattern": NOT_BLANK}}},
            ]
        }
    }

    category: RequiredCode = Field(max_length=30, description="Category code, e.g. W-LEAK.")
    description: Required = Field(max_length=4000, description="What the caller says.")
    community: Id | None = Field(None, description="Community id; or give an address.")
    caller_name: Line = Field("", max_length=50)
    caller_phone: Annotated[str, *_LINE, JsonPattern(PHONE)] = Field(
        "", max_length=30, description="A mobile (13812345678) or landline (0635-8221234)."
    )
    address: Line = Field("", max_length=200)
    priority: Literal[1, 2, 3, 4] | None = Field(None, description="Default: the category's.")


class OrderOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    channel: str
    category: str
    category_name: str
    priority: int
    community_id: int | None
    community_name: str | None
    caller_name: str
    caller_phone: str
    address: str
    personal_data_masked: bool
    description: str
    unit: str | None
    grid: str | None
    specialist: str | None
    received_at: datetime
    dispatched_at: datetime | None
    accepted_at: datetime | None
    arrived_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    current_due: datetime | None
    sla_level: str
    redo_count: int
    resolution: str
    satisfaction: str
    version: int


class OrderPage(Envelope):
    items: list[OrderOut]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    utility: str
    priority: int
    needs_visit: bool


class GridOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    specialist: str | None
    specialist_phone: str | None
    deputy: str | None


class CommunityOut(Schema):
    id: int
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    households: int
    utility: str
    grid: str | None


class CommunityPage(Envelope):
    items: list[CommunityOut]
