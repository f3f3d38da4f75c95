"""The rules an outage's window and communities follow, shared by the form and the actions."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from mains.outages.errors import OutageError

SHORT_NOTICE = timedelta(hours=24)
LONG_OUTAGE_NOTICE = timedelta(hours=48)
LONG_OUTAGE = timedelta(hours=12)


def check_window(starts_at: datetime, ends_at: datetime, communities) -> None:
    if ends_at <= starts_at:
        raise OutageError(_("The expected restoration must come after the start."))
    if not communities:
        raise OutageError(_("Pick at least one community."))


def notice_needed(starts_at: datetime, ends_at: datetime) -> timedelta:
    """24 hours' notice, 48 when the outage lasts over 12 hours."""
    return LONG_OUTAGE_NOTICE if ends_at - starts_at > LONG_OUTAGE else SHORT_NOTICE


def short_notice_warning(
    kind: str, starts_at: datetime, ends_at: datetime, now: datetime | None = None
) -> str:
    """A warning for the author when a planned outage is announced too late; '' otherwise."""
    if kind != "planned":
        return ""
    needed = notice_needed(starts_at, ends_at)
    if starts_at - (now or timezone.now()) >= needed:
        return ""
    return _(
        "A planned outage should be announced at least %(hours)d hours ahead "
        "(48 hours when it lasts over 12 hours). Residents will have short notice."
    ) % {"hours": needed.total_seconds() // 3600}
