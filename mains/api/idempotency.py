"""`Idempotency-Key` on create: a retried request gets the first answer, never a second order."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mains.api.errors import ApiError
from mains.api.models import ApiToken, IdempotencyKey


def request_hash(payload: dict | list) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(token: ApiToken, key: str, digest: str) -> tuple[int, dict]:
    stored = IdempotencyKey.objects.get(token=token, key=key)
    if stored.request_hash != digest:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was already used with a different request."),
        )
    if stored.status is None:
        raise ApiError(409, "in_progress", _("The first request with this key is still running."))
    return stored.status, stored.body or {}


def once(
    token: ApiToken, key: str | None, payload: dict, perform: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """(status, body, replayed): run `perform` once per token and key.

    `perform` runs in a transaction, and with a key the key row and its answer are written in
    the same one: a concurrent retry waits on the key's unique index and then replays the
    answer, a failed request leaves no key, and an answer exists only for what committed.
    """
    if not key:
        with transaction.atomic():
            status, body = perform()
        return status, body, False
    digest = request_hash(payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(token=token, key=key, request_hash=digest)
        except IntegrityError:
            status, body = _replay(token, key, digest)
            return status, body, True
        status, body = perform()
        row.status, row.body = status, body
        row.save(update_fields=["status", "body"])
        return status, body, False
