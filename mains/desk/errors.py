from django.utils.translation import gettext as _


class OrderActionError(Exception):
    """An action on a work order that cannot be done; the message is for the user."""

    code = "refused"


class TransitionRefused(OrderActionError):
    code = "illegal_transition"


class OrderConflict(OrderActionError):
    code = "conflict"

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "Someone else changed this order a moment ago. "
                "Reload it to see the change, then try again."
            )
        )


class NotAllowed(OrderActionError):
    code = "forbidden"
