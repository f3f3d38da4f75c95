"""Schemathesis against /api/v1/openapi.json: no 5xx, answers as the schema says, and data
the schema calls valid is accepted (so the schema may not be looser than the server)."""

import datetime as dt
import uuid
import zlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.formats import unregister_string_format

from mains.api.tokens import create_token
from mains.areas.models import Community, Specialist
from mains.desk.models import Category, WorkOrder
from mains.org.models import Unit
from mains.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    # Schema-valid data answers 2xx, or 401/403/404/409 (not yours, not now): never 422.
    positive_data_acceptance,
]


def _rfc3339_within_the_years_the_schema_allows():
    """`date-time` values of the years 2000–2100 only: the schema's pattern refuses the
    others, and drawing them only to throw them away trips Hypothesis's filter check."""
    two = st.integers(0, 59).map("{:02d}".format)
    offset = st.just("Z") | st.builds(
        "{}{:02d}:{}".format, st.sampled_from("+-"), st.integers(0, 23), two
    )
    fraction = st.just("") | st.integers(0, 999_999).map(".{:06d}".format)
    days = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)).map(str)
    hours = st.integers(0, 23).map("{:02d}".format)
    return st.builds("{}T{}:{}:{}{}{}".format, days, hours, two, two, fraction, offset)


@pytest.fixture(scope="module", autouse=True)
def _date_times_of_the_allowed_years():
    schemathesis.openapi.format("date-time", _rfc3339_within_the_years_the_schema_allows())
    yield
    unregister_string_format("date-time")


@pytest.fixture
def bearer(city, new_order):
    new_order()
    new_order(community=city.jinxiu)
    return {"Authorization": f"Bearer {create_token(city.dispatcher, 'fuzz')[1]}"}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests through the WSGI app must not close the test's connection (Django's test
    client does the same): on PostgreSQL it would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _pick(values: list, drawn) -> object:
    return values[zlib.crc32(str(drawn).encode()) % len(values)]


def _with_existing_references(case) -> None:
    """A schema says what an id looks like, not which ids exist, which idempotency keys were
    used before or that a deadline lies ahead: replace those drawn values with ones the
    database has (and a fresh key), keep everything else."""
    if case.headers and case.headers.get("Idempotency-Key"):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    body = case.body
    if not isinstance(body, dict):
        return
    existing = {
        "category": lambda: list(
            Category.objects.filter(active=True).values_list("code", flat=True)
        ),
        "community": lambda: list(Community.objects.values_list("pk", flat=True)),
        "specialist": lambda: list(Specialist.objects.values_list("pk", flat=True)),
        "unit": lambda: list(Unit.objects.values_list("pk", flat=True)),
        "duplicate_of": lambda: list(WorkOrder.objects.values_list("number", flat=True)),
    }
    for name, values in existing.items():
        if body.get(name) not in (None, ""):
            body[name] = _pick(values(), body[name])
    ahead = timezone.now() + dt.timedelta(days=60)
    try:
        soon = dt.datetime.fromisoformat(body["until"]) < ahead
    except (KeyError, TypeError, ValueError):  # absent, or a negative case: sent as drawn
        soon = False
    if soon:
        body["until"] = (ahead + dt.timedelta(days=1)).isoformat()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_answers_as_its_schema_says(case, bearer):
    _with_existing_references(case)
    case.call_and_validate(headers=bearer, checks=CHECKS)
