"""The first line of every action outside the desk: may this user do it at all?"""

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mains.org.models import User


def require_role(user: User | None, roles: Collection[str]) -> None:
    """Refuse a user whose role is not among `roles`. None is the system itself (a job, an
    import, the demo), let in by its own rules."""
    if user is not None and user.role not in roles:
        raise PermissionDenied(_("Your role may not do that."))
