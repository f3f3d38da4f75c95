"""A request body over the limit is refused with a JSON reason, not Django's HTML page."""

from django.test import Client

from mains.api.tokens import create_token


def test_an_oversized_batch_is_refused_with_413_and_a_reason(city, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    key = create_token(city.engineer, "big")[1]
    response = Client().post(
        "/api/v1/telemetry/batches",
        data='{"batch_id": "b", "readings": [' + " " * (2 * 1024 * 1024) + "]}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"},
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": "too_large",
        "detail": "The request is larger than 1 MB; send it in smaller parts.",
    }
