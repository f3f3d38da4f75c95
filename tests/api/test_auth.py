from django.core.management import call_command

from mains.api.models import ApiToken
from mains.api.tokens import create_token, hash_key


def test_it_refuses_a_request_without_a_token(client, city):
    response = client.get("/api/v1/orders")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_an_unknown_token(client, city):
    response = client.get("/api/v1/orders", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(client, city):
    token, key = create_token(city.dispatcher, "CTI")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/orders", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert client.get("/api/v1/orders", headers=headers).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(client, city):
    _token, key = create_token(city.dispatcher, "CTI")
    city.dispatcher.is_active = False
    city.dispatcher.save()
    assert (
        client.get("/api/v1/orders", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


def test_it_stores_only_the_hash_of_the_key_and_records_its_use(client, city):
    token, key = create_token(city.dispatcher, "CTI")
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.last_used is None
    client.get("/api/v1/categories", headers={"Authorization": f"Bearer {key}"})
    token.refresh_from_db()
    assert token.last_used is not None


def test_the_command_prints_a_key_that_authenticates(client, city, capsys):
    call_command("api_token", "create", "dora", "--name", "12345 hotline")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(name="12345 hotline").user == city.dispatcher
    response = client.get("/api/v1/categories", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_the_command_lists_tokens_without_keys_and_revokes_one(city, capsys):
    token, key = create_token(city.dispatcher, "CTI")
    call_command("api_token", "list")
    listing = capsys.readouterr().out
    assert "CTI" in listing and key not in listing
    call_command("api_token", "revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked
