"""Who an order is for: the public or staff only, and who among staff reads a special-group order.

Two rules, each in one place:

- **Public** (`public_categories`, `public_orders`): what the residents' pages and Open311
  may offer, list, accept and show. A category marked internal or special-group is not
  public, and neither is any order of the channel *alarm*, whatever its category.
- **Special-group details** (`reads_special_group_details`): an order whose category is
  marked special-group (the welfare visits of the network watch) says where a vulnerable
  resident lives and how they are. Its description, address, caller, resolution, notes and
  files are for the specialist and deputy who visit, the dispatchers and administrators who
  route it, and the managers of its unit. Everyone else who may see the order sees its
  number, category, state and community, and a sentence saying the rest is withheld.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mains.desk.access import is_assignee, unit_and_descendant_ids
from mains.desk.models import Category, Channel, Visibility, WorkOrder
from mains.org.models import User
from mains.org.roles import DISPATCH_ROLES, Role


def public_categories() -> QuerySet[Category]:
    """The active categories residents and open interfaces may report in."""
    return Category.objects.filter(active=True, visibility=Visibility.PUBLIC)


def public_orders() -> QuerySet[WorkOrder]:
    """The orders residents and open interfaces may look up: none of an internal category,
    none raised by an alarm."""
    return WorkOrder.objects.filter(category__visibility=Visibility.PUBLIC).exclude(
        channel=Channel.ALARM
    )


def is_about_special_group(order: WorkOrder) -> bool:
    return order.category.visibility == Visibility.SPECIAL_GROUP


def reads_special_group_details(user: User, order: WorkOrder) -> bool:
    """May `user` read what this order says about the resident? True for every order that is
    not about a special-group resident; for one that is, only for those who need it.

    Every page, list, export, API answer and message that shows an order's description,
    address, caller, resolution, notes or files asks here first.
    """
    if not is_about_special_group(order):
        return True
    if not user.is_authenticated:
        return False
    return user.role in DISPATCH_ROLES or is_assignee(user, order) or _manages(user, order)


def _manages(user: User, order: WorkOrder) -> bool:
    """`access.manages_unit_of`, with the unit tree read once per user object (a request's)."""
    if user.role != Role.UNIT_MANAGER:
        return False
    units = getattr(user, "_managed_unit_ids", None)
    if units is None:
        units = set(unit_and_descendant_ids(user.unit_id))
        user._managed_unit_ids = units  # type: ignore[attr-defined]
    return order.unit_id in units


def withheld_description() -> str:
    return _(
        "Visit to a special-group resident. The details are shown to the specialists who "
        "visit, the dispatchers and the managers of the responsible unit."
    )


def community_only(order: WorkOrder) -> str:
    """A special-group order's address for those who do not read its details."""
    return order.community.name if order.community else ""


def description_for(user: User, order: WorkOrder) -> str:
    if reads_special_group_details(user, order):
        return order.description
    return withheld_description()


def resolution_for(user: User, order: WorkOrder) -> str:
    return order.resolution if reads_special_group_details(user, order) else ""
