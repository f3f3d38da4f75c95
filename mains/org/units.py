"""Reads of the organisation tree."""

from mains.org.models import Unit


def unit_tree() -> list[tuple[Unit, int]]:
    """The organisation as (unit, depth) in display order: group, subsidiaries, teams."""
    children: dict[int | None, list[Unit]] = {}
    for unit in Unit.objects.order_by("name"):
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            rows.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows
