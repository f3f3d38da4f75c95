from django.test import Client


def test_the_openapi_3_schema_is_served_with_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/orders/{order_id}/actions/accept",
        "/api/v1/communities",
        "/api/v1/grids",
        "/api/v1/categories",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    create = schema["paths"]["/api/v1/orders"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    assert {"201", "403", "409", "422"} <= set(create["responses"])


def test_the_docs_page_loads_swagger_from_mains_not_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/api/v1/openapi.json" in page
    assert "cdn" not in page.lower() and "https://" not in page
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"):
        assert f"/api/v1/docs/assets/{asset}" in page
        response = client.get(f"/api/v1/docs/assets/{asset}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)


def test_the_docs_assets_serve_nothing_else(client):
    assert client.get("/api/v1/docs/assets/..%2F..%2F__init__.py").status_code == 404
    assert client.get("/api/v1/docs/assets/redoc.standalone.js.map").status_code == 404


def test_an_unknown_address_or_method_answers_json(city, api_as):
    client = api_as("dispatcher")
    missing = client.get("/api/v1/nothing/here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    refused = Client().put("/api/v1/orders", headers={"Authorization": f"Bearer {client.key}"})
    assert refused.status_code == 405
    assert refused.json()["error"] == "method_not_allowed"


def test_a_body_that_is_not_json_is_a_4xx_with_a_reason(city, api_as):
    client = api_as("agent")
    response = client.client.post(
        "/api/v1/orders",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.key}"},
    )
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
