"""A NUL character is refused with a 4xx everywhere (PostgreSQL cannot store or compare it)."""

from mains.api.tokens import create_token

from .test_orders import payload


def test_api_filters_and_fields_with_a_nul_are_refused_with_422(city, api_as):
    client = api_as("agent")
    for path, query in (
        ("/api/v1/orders", {"category": "W\x00"}),
        ("/api/v1/communities", {"q": "星\x00"}),
        ("/api/v1/communities", {"grid": "E\x00"}),
    ):
        assert client.get(path, query).status_code == 422, query
    nul_key = client.post("/api/v1/orders", payload(city), headers={"Idempotency-Key": "k\x00"})
    assert nul_key.status_code == 422


def test_open311_paths_and_fields_with_a_nul_are_client_errors(client, city):
    assert client.get("/open311/v2/requests/2026%00.json").status_code == 404
    assert client.get("/open311/v2/services/W%00.json").status_code == 404
    assert client.get("/open311/v2/requests.json", {"service_code": "W\x00"}).status_code == 400
    key = create_token(city.agent, "x")[1]
    posted = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "W-LEAK", "address_string": "星光\x00"},
    )
    assert posted.status_code == 400
