"""Token authentication: `Authorization: Bearer <token>` naming a live ApiToken."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from mains.api.models import ApiToken
from mains.api.tokens import token_for_key
from mains.org.models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for_key(token.strip())
        if found is not None:
            request.user = found.user
        return found


def caller(request: HttpRequest) -> User:
    """The user the request's token acts for."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.user
