"""KPI targets: which way each KPI should go, the goals set for it, and setting them.

A KPI without a target still has a direction (higher is better, but for the re-do rate),
so that the change from the previous period reads as better or worse.
"""

from django.db import transaction

from mains.desk.models import KpiTarget
from mains.org.models import User

Direction = KpiTarget.Direction
DEFAULT_DIRECTIONS: dict[str, str] = {
    key: Direction.LOWER if key == KpiTarget.Key.REDO_RATE else Direction.HIGHER
    for key in KpiTarget.Key.values
}


def targets() -> dict[str, KpiTarget]:
    """{KPI key: its target}, for the KPIs that have one (one query)."""
    return {target.kpi: target for target in KpiTarget.objects.all()}


def direction_of(key: str, target: KpiTarget | None) -> str:
    return target.direction if target else DEFAULT_DIRECTIONS[key]


@transaction.atomic
def do_set_kpi_targets(by: User | None, wanted: dict[str, tuple]) -> None:
    """Set {key: (target percent or None, direction)}; None removes the KPI's target."""
    existing = {t.kpi: t for t in KpiTarget.objects.select_for_update()}
    for key, (value, direction) in wanted.items():
        if key not in KpiTarget.Key.values:
            raise ValueError(key)
        target = existing.get(key)
        if value is None:
            if target is not None:
                target.delete()
            continue
        if target is None:
            KpiTarget.objects.create(kpi=key, target=value, direction=direction, updated_by=by)
        elif (target.target, target.direction) != (value, direction):
            target.target, target.direction, target.updated_by = value, direction, by
            target.save(update_fields=["target", "direction", "updated_by", "updated_at"])
