"""Unmasked views of personal data: noted while a request runs, written once at its end.

Whatever shows a resident's data unmasked calls `note_view` (the template tags of
`mains.org.templatetags.pii`, the API's presenters, the admin). `AccessLogMiddleware` gives
each request a collector and writes what it holds in one bulk INSERT after the response is
rendered: one entry per user and subject, whatever the number of fields or the times it was
shown, so a list of 30 orders costs one query. Outside a request (a shell, a job) the entry
is written at once. Masked values are never noted.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from mains.org.models import AccessLog, User

MIDDLEWARE_PATH = "mains.org.access_log.AccessLogMiddleware"
_REASON_LENGTH = AccessLog._meta.get_field("reason").max_length or 300
_FIELDS_LENGTH = AccessLog._meta.get_field("fields").max_length or 200


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@dataclass
class _Seen:
    fields: list[str]
    purpose: str
    reason: str


class ViewsSeen:
    """The subjects one request showed unmasked, by user; the first purpose given stays."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, str], _Seen] = {}

    def add(self, user_id: int, subject: str, fields: list[str], purpose: str, reason: str):
        seen = self._seen.get((user_id, subject))
        if seen is None:
            self._seen[(user_id, subject)] = _Seen(list(fields), purpose, reason)
            return
        seen.fields += [name for name in fields if name not in seen.fields]

    def entries(self, ip: str | None) -> list[AccessLog]:
        return [
            _entry(user_id, subject, seen.fields, seen.purpose, seen.reason, ip)
            for (user_id, subject), seen in self._seen.items()
        ]


_current: ContextVar[ViewsSeen | None] = ContextVar("mains_unmasked_views", default=None)


def _entry(
    user_id: int, subject: str, fields: list[str], purpose: str, reason: str, ip: str | None
) -> AccessLog:
    return AccessLog(
        user_id=user_id,
        action=AccessLog.Action.VIEW,
        subject=subject,
        fields=",".join(fields)[:_FIELDS_LENGTH],
        purpose=purpose,
        reason=reason.strip()[:_REASON_LENGTH],
        ip=ip,
    )


def note_view(
    user: User, subject: str, fields: Iterable[str], purpose: str, reason: str = ""
) -> None:
    """`user` was shown these `fields` of `subject` ("order:12") unmasked, for `purpose`."""
    names = [name for name in fields if name]
    if not names or user.pk is None:
        return
    collector = _current.get()
    if collector is None:
        _entry(user.pk, subject, names, purpose, reason, None).save()
    else:
        collector.add(user.pk, subject, names, str(purpose), reason)


class AccessLogMiddleware:
    """Collects the request's unmasked views and writes them when the response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        collector = ViewsSeen()
        token = _current.set(collector)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if response.status_code < 500:  # a failed page showed nothing
            entries = collector.entries(client_ip(request))
            if entries:
                AccessLog.objects.bulk_create(entries)
        return response
