"""API tokens: made once, shown once, stored as a SHA-256 hash."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from mains.api.models import ApiToken
from mains.org.models import User


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """The new token and its key in clear, which is never stored and cannot be shown again."""
    key = "mains_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_key(key), prefix=key[:8])
    return token, key


def token_for_key(key: str | None) -> ApiToken | None:
    """The live token of an active user with this key, or None; records its use."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is not None:
        # One write a minute at most, however busy the token is.
        now = timezone.now()
        stale = Q(last_used__isnull=True) | Q(last_used__lt=now - timedelta(minutes=1))
        if ApiToken.objects.filter(stale, pk=token.pk).update(last_used=now):
            token.last_used = now
    return token
