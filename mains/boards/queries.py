"""Reads shared by the board pages: coverage by grid, the communities still missing a board."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from mains.areas.models import Community, Specialist
from mains.boards.models import Board, BoardBatch, BoardState

# The furthest a community's boards have come, best first.
PROGRESS = [BoardState.INSTALLED, BoardState.PRINTED, BoardState.GENERATED, BoardState.OUTDATED]


@dataclass
class GridCoverage:
    code: str
    name: str
    specialist: str
    total: int = 0
    installed: int = 0
    printed: int = 0
    outdated: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.installed

    @property
    def percent(self) -> int:
        return round(100 * self.installed / self.total) if self.total else 0


@dataclass
class Coverage:
    grids: list[GridCoverage] = field(default_factory=list)
    missing: list[tuple[Community, str]] = field(default_factory=list)  # (community, progress)
    total: int = 0
    installed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.installed / self.total) if self.total else 0

    @property
    def to_reprint(self) -> list[Community]:
        return [c for c, progress in self.missing if progress == BoardState.OUTDATED]


def progress_by_community() -> dict[int, str]:
    """For each community with boards, the furthest state any of them reached."""
    states: dict[int, set[str]] = defaultdict(set)
    for community_id, state in Board.objects.values_list("community_id", "state").distinct():
        states[community_id].add(state)
    return {cid: next(s for s in PROGRESS if s in found) for cid, found in states.items()}


def coverage() -> Coverage:
    """Installed and up-to-date boards out of all communities, by grid (two queries)."""
    progress = progress_by_community()
    result = Coverage()
    rows: dict[int | None, GridCoverage] = {}
    communities = Community.objects.select_related("grid__specialist").order_by(
        "grid__code", "name"
    )
    for community in communities:
        grid = community.grid
        key = grid.pk if grid else None
        if key not in rows:
            spec = grid.specialist.name if grid and grid.specialist else ""
            rows[key] = GridCoverage(
                code=grid.code if grid else "—", name=grid.name if grid else "", specialist=spec
            )
        row = rows[key]
        state = progress.get(community.pk, "")
        row.total += 1
        result.total += 1
        if state == BoardState.INSTALLED:
            row.installed += 1
            result.installed += 1
            continue
        row.printed += state == BoardState.PRINTED
        row.outdated += state == BoardState.OUTDATED
        result.missing.append((community, state))
    result.grids = list(rows.values())
    return result


def communities_for_batch(batch: BoardBatch) -> QuerySet[Community]:
    found = Community.objects.all()
    if batch.scope == BoardBatch.Scope.GRID:
        found = found.filter(grid=batch.grid)
    elif batch.scope == BoardBatch.Scope.REPRINT:
        outdated = Board.objects.filter(state=BoardState.OUTDATED).values("community_id")
        current = Board.objects.exclude(state=BoardState.OUTDATED).values("community_id")
        found = found.filter(pk__in=outdated).exclude(pk__in=current)
    return found.select_related("grid__specialist").order_by("grid__code", "name")


def specialist_of(user) -> Specialist | None:
    return getattr(user, "specialist", None)


def installable_boards(user) -> QuerySet[Board]:
    """Printed boards of the communities the user answers for as specialist or deputy."""
    spec = specialist_of(user)
    if spec is None:
        return Board.objects.none()
    return (
        Board.objects.filter(state=BoardState.PRINTED)
        .filter(Q(community__grid__specialist=spec) | Q(community__grid__deputy=spec))
        .select_related("community__grid")
        .order_by("community__name", "-printed_at")
    )
