from django.utils.translation import gettext as _


class OutageError(Exception):
    """An outage action that cannot be done; the message is for the user."""


class OutageConflict(OutageError):
    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "Someone else changed this outage a moment ago. "
                "Reload it to see the change, then try again."
            )
        )
