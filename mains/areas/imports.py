"""Importing an areas workbook: all rows checked first, then all written in one transaction.

- Units are looked up by name; an unknown unit is an error.
- Grids are created or updated by code, communities by name, specialists by log-in (a new
  log-in gets a user with the specialist role and no usable password yet).
- The grids sheet says who answers for each grid now; a change goes through
  `do_assign_grid`, which closes the previous assignment. The assignments sheet adds past
  periods not yet recorded, and gives the start of the current period when it agrees.
- Nothing is ever deleted; rows already as in the file are counted as unchanged.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, TypeVar

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.areas import workbook as wb
from mains.areas.actions import do_assign_grid
from mains.areas.import_checks import check_book
from mains.areas.import_plans import CommunityPlan, GridPlan, Plan
from mains.areas.models import Community, Grid, GridAssignment, Specialist
from mains.lib.pinyin import full_pinyin, pinyin_initials
from mains.org.models import User
from mains.org.roles import Role

T = TypeVar("T")
Track = Callable[[Sequence[T], str], Iterable[T]]
KINDS = ("communities", "grids", "specialists", "assignments")
KIND_LABELS = {
    "communities": gettext_lazy("Communities"),
    "grids": gettext_lazy("Grids"),
    "specialists": gettext_lazy("Grid specialists"),
    "assignments": gettext_lazy("Assignments"),
}
COMMUNITY_FIELDS = ("address", "latitude", "longitude", "households", "utility", "grid")


def no_track(items: Sequence[T], description: str) -> Iterable[T]:
    return items


@dataclass
class ImportResult:
    errors: list[wb.RowError] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted_errors(self) -> list[wb.RowError]:
        return list(wb.iter_errors_sorted(self.errors))

    def summary(self) -> list[tuple[str, Counter]]:
        return [(str(KIND_LABELS[kind]), self.counts[kind]) for kind in KINDS]


class _DryRun(Exception):
    pass


def import_areas(
    source: IO[bytes] | str, by: User | None = None, dry_run: bool = False, track: Track = no_track
) -> ImportResult:
    """Check every row of the workbook, then write all of it, or nothing if a row is bad."""
    result = ImportResult(dry_run=dry_run)
    book = wb.read_book(source)
    if book.errors and not book.rows:
        result.errors = book.errors
        return result
    plan = check_book(book)
    if plan.errors:
        result.errors = plan.errors
        return result
    try:
        with transaction.atomic():
            _apply(plan, by, result, track)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except DatabaseError:
        message = _("The database changed while importing; nothing was saved. Try again.")
        result.errors = [wb.RowError("", None, message)]
    return result


def _apply(plan: Plan, by: User | None, result: ImportResult, track: Track) -> None:
    specialists = _apply_specialists(plan, result)
    grids = _apply_grids(plan, result)
    _apply_assignments(plan, grids, specialists, by, result, track)
    _apply_history(plan, grids, result)
    _apply_communities(plan.communities, result, track)


def _specialists_by_login(logins: Iterable[str]) -> dict[str, Specialist]:
    found = Specialist.objects.select_related("user").filter(user__username__in=set(logins))
    return {s.user.username: s for s in found}


def _apply_specialists(plan: Plan, result: ImportResult) -> dict[str, Specialist]:
    counts = result.counts["specialists"]
    logins = set(plan.specialists)
    logins |= {g.deputy_login for g in plan.grids} | {h.specialist_login for h in plan.history}
    logins |= {h.deputy_login for h in plan.history}
    logins.discard("")
    existing = _specialists_by_login(logins)
    users = {u.username: u for u in User.objects.filter(username__in=list(plan.specialists))}
    for login, row in plan.specialists.items():
        values = {
            "name": row.name,
            "phone": row.phone,
            "duties": row.duties,
            "service_content": row.service_content,
        }
        spec = existing.get(login)
        if spec is None:
            user = users.get(login) or User.objects.create_user(
                username=login,
                password=None,
                role=Role.SPECIALIST,
                full_name=row.name,
                phone=row.phone,
                unit=row.unit,
            )
            existing[login] = Specialist.objects.create(user=user, **values)
            counts["created"] += 1
            continue
        changed = [k for k, v in values.items() if getattr(spec, k) != v]
        for key in changed:
            setattr(spec, key, values[key])
        if changed:
            spec.save(update_fields=changed)
        counts["updated" if changed else "unchanged"] += 1
    return existing


def _apply_grids(plan: Plan, result: ImportResult) -> dict[str, Grid]:
    counts = result.counts["grids"]
    codes = {g.code for g in plan.grids} | {h.grid_code for h in plan.history}
    codes |= {c.grid_code for c in plan.communities if c.grid_code}
    grids = {g.code: g for g in Grid.objects.filter(code__in=codes)}
    for row in plan.grids:
        grid = grids.get(row.code)
        if grid is None:
            grids[row.code] = Grid.objects.create(code=row.code, name=row.name, unit=row.unit)
            counts["created"] += 1
            continue
        changed = []
        if grid.name != row.name:
            grid.name = row.name
            changed.append("name")
        if grid.unit_id != row.unit.pk:
            grid.unit = row.unit
            changed.append("unit")
        if changed:
            grid.save(update_fields=changed)
        counts["updated" if changed else "unchanged"] += 1
    return grids


def _apply_assignments(
    plan: Plan,
    grids: dict[str, Grid],
    specialists: dict[str, Specialist],
    by: User | None,
    result: ImportResult,
    track: Track,
) -> None:
    counts = result.counts["assignments"]
    rows = [g for g in plan.grids if g.specialist_login]
    current = {
        a.grid_id: a
        for a in GridAssignment.objects.filter(
            grid__in=[grids[g.code] for g in rows], ended_at__isnull=True
        )
    }
    now = timezone.now()
    for row in track(rows, _("Grid specialists")):
        grid = grids[row.code]
        start = _agreed_start(plan, row)
        before = current.get(grid.pk)
        at = start if start and (before is None or start > before.started_at) else now
        deputy = specialists[row.deputy_login] if row.deputy_login else None
        made = do_assign_grid(grid, specialists[row.specialist_login], deputy, by=by, at=at)
        if made is None:
            counts["unchanged"] += 1
            continue
        counts["created"] += 1
        if before is not None:
            counts["updated"] += 1  # the previous period was closed


def _agreed_start(plan: Plan, grid: GridPlan):
    """The start of the open period in the assignments sheet, if it names the same people."""
    for row in plan.history:
        if row.grid_code == grid.code and row.ended_at is None:
            same = (row.specialist_login, row.deputy_login) == (
                grid.specialist_login,
                grid.deputy_login,
            )
            return row.started_at if same else None
    return None


def _apply_history(plan: Plan, grids: dict[str, Grid], result: ImportResult) -> None:
    counts = result.counts["assignments"]
    closed = [h for h in plan.history if h.ended_at is not None]
    if not closed:
        return
    specialists = _specialists_by_login(
        {h.specialist_login for h in closed} | {h.deputy_login for h in closed if h.deputy_login}
    )
    recorded = {
        (a.grid_id, a.specialist_id, timezone.localtime(a.started_at).replace(microsecond=0))
        for a in GridAssignment.objects.filter(grid__in=[grids[h.grid_code] for h in closed])
    }
    new = []
    for row in closed:
        grid, spec = grids[row.grid_code], specialists[row.specialist_login]
        if (grid.pk, spec.pk, row.started_at) in recorded:
            counts["unchanged"] += 1
            continue
        deputy = specialists[row.deputy_login] if row.deputy_login else None
        new.append(
            GridAssignment(
                grid=grid,
                specialist=spec,
                deputy=deputy,
                started_at=row.started_at,
                ended_at=row.ended_at,
            )
        )
    GridAssignment.objects.bulk_create(new, batch_size=500)
    counts["created"] += len(new)


def _in_chunks(items: Sequence[T], size: int = 500) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _apply_communities(rows: list[CommunityPlan], result: ImportResult, track: Track) -> None:
    counts = result.counts["communities"]
    names = [r.name for r in rows]
    existing: dict[str, Community] = {}
    for chunk in _in_chunks(names):
        existing.update({c.name: c for c in Community.objects.filter(name__in=chunk)})
    codes = {r.grid_code for r in rows if r.grid_code}
    grid_ids = dict(Grid.objects.filter(code__in=codes).values_list("code", "pk"))
    new, changed = [], []
    for row in track(rows, _("Communities")):
        values = {
            "address": row.address,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "households": row.households,
            "utility": row.utility,
            "grid_id": grid_ids.get(row.grid_code),
        }
        community = existing.get(row.name)
        if community is None:
            pinyin = {"pinyin": full_pinyin(row.name), "initials": pinyin_initials(row.name)}
            new.append(Community(name=row.name, **pinyin, **values))
            continue
        if all(getattr(community, k) == v for k, v in values.items()):
            counts["unchanged"] += 1
            continue
        for key, value in values.items():
            setattr(community, key, value)
        changed.append(community)
    Community.objects.bulk_create(new, batch_size=500)
    Community.objects.bulk_update(changed, COMMUNITY_FIELDS, batch_size=500)
    counts["created"] += len(new)
    counts["updated"] += len(changed)
