"""Which special-group residents a specialist looks after, due first."""

from mains.care.access import residents_for
from mains.care.models import Resident
from mains.org.models import User


def residents_of(specialist_user: User) -> list[Resident]:
    return sorted(residents_for(specialist_user), key=lambda r: r.next_visit_due)
