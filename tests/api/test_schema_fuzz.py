"""Schemathesis against /api/v1/openapi.json: no 5xx, and answers as the schema says."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mains.api.tokens import create_token
from mains.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Not "schema-valid data is accepted": a well-formed order for a category that does not
# exist is rightly refused with 422, which that check would count as a failure.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_answers_as_its_schema_says(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
