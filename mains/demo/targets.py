"""The KPI targets a utility's management typically holds its desk to, set by the demo's admin."""

from decimal import Decimal

from mains.desk.kpi_targets import do_set_kpi_targets
from mains.desk.models import KpiTarget
from mains.org.models import User

Key, Direction = KpiTarget.Key, KpiTarget.Direction
DEMO_TARGETS: dict[str, tuple[Decimal, str]] = {
    Key.ON_TIME_ACCEPTANCE: (Decimal("95"), Direction.HIGHER),
    Key.TIMELINESS: (Decimal("90"), Direction.HIGHER),
    Key.CLOSURE_RATE: (Decimal("95"), Direction.HIGHER),
    Key.ON_TIME_CLOSURE: (Decimal("90"), Direction.HIGHER),
    Key.CALLBACK_RATE: (Decimal("95"), Direction.HIGHER),
    Key.SATISFACTION: (Decimal("90"), Direction.HIGHER),
    Key.REDO_RATE: (Decimal("5"), Direction.LOWER),
}


def build_kpi_targets(admin: User | None) -> int:
    do_set_kpi_targets(admin, dict(DEMO_TARGETS))
    return len(DEMO_TARGETS)
