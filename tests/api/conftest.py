import pytest
from django.test import Client

from mains.api.tokens import create_token


class ApiClient:
    """A test client that sends one user's API token with every request."""

    def __init__(self, user, key: str):
        self.user, self.key, self.client = user, key, Client()

    def _headers(self, headers: dict | None) -> dict:
        return {"Authorization": f"Bearer {self.key}", **(headers or {})}

    def get(self, path: str, data: dict | None = None, headers: dict | None = None):
        return self.client.get(path, data or {}, headers=self._headers(headers))

    def post(self, path: str, payload: dict | None = None, headers: dict | None = None):
        return self.client.post(
            path, payload or {}, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture
def api_as(city):
    """api_as("agent") is an API client acting as the city's agent."""

    def make(role: str) -> ApiClient:
        user = getattr(city, role)
        _token, key = create_token(user, f"test {role}")
        return ApiClient(user, key)

    return make
