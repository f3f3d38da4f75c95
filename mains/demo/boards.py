"""The demo city's notice boards (公示牌): about 300 of 460 on the wall, as in the sources.

Rows are written directly (no PDF; a drawn photo shared by many boards). A grid whose
specialist was replaced keeps its old boards as outdated; the latest such grid still
waits for its reprint.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from mains.areas.models import Community
from mains.boards.models import Board, BoardState
from mains.demo.grids import REASSIGNED_GRIDS, Areas, GridPlan
from mains.demo.photos import board_photos
from mains.org.models import User

INSTALLED_SHARE = 300 / 460  # "300 of 460" in the sources
PRINTED_SHARE = 0.05
GENERATED_SHARE = 0.08
PRINTED_ON_DEMO_GRID = 2  # the demo specialist has boards to put up
RECENT = timedelta(days=15)  # a grid switched more recently has not had its reprint yet


@dataclass
class BoardStats:
    communities: int = 0
    installed: int = 0
    printed: int = 0
    generated: int = 0
    outdated: int = 0
    to_reprint: int = 0


def _at(day, rng: random.Random) -> datetime:
    moment = time(rng.randint(8, 17), rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, moment))


class _Writer:
    def __init__(self, rng: random.Random, now: datetime, start: datetime, admin: User | None):
        self.rng, self.now, self.start = rng, now, start
        self.admin_id = admin.pk if admin else None
        self.rows: list[Board] = []
        self.photos = board_photos(random.Random(1))

    def board(self, community: Community, plan: GridPlan, state: str, after: datetime) -> None:
        """One board of `community` made after `after`, brought as far as `state`."""
        rng, now = self.rng, self.now
        latest_by_state: dict[str, datetime] = {
            BoardState.INSTALLED: now - timedelta(days=12),
            BoardState.PRINTED: now - timedelta(days=4),
            BoardState.GENERATED: now - timedelta(hours=2),
        }
        latest = latest_by_state[state]
        earliest = min(max(after, self.start, latest - timedelta(days=90)), latest)
        generated = earliest + (latest - earliest) * rng.random()
        spec = plan.specialist_at(generated)
        board = Board(
            community_id=community.pk,
            state=state,
            specialist_name=spec.name,
            specialist_phone=spec.phone,
            generated_at=generated,
            generated_by_id=self.admin_id,
        )
        if state != BoardState.GENERATED:
            printed = generated + timedelta(days=rng.uniform(1, 3))
            board.printed_at = printed
            if state == BoardState.INSTALLED:
                self._install(board, plan, printed)
        self.rows.append(board)

    def _install(self, board: Board, plan: GridPlan, printed: datetime) -> None:
        day = timezone.localdate(printed + timedelta(days=self.rng.randint(1, 7)))
        board.installed_on = day
        board.installed_at = min(_at(day, self.rng), self.now - timedelta(hours=1))
        board.installed_by_id = plan.specialist_at(board.installed_at).user_id
        board.install_photo = self.rng.choice(self.photos)

    def old_board(self, community: Community, plan: GridPlan, switched: datetime) -> None:
        """The board that showed the former specialist, outdated when the grid changed hands."""
        rng = self.rng
        generated = min(self.start, switched) - timedelta(days=rng.uniform(40, 80))
        old = plan.periods[0][2]
        printed = generated + timedelta(days=rng.uniform(1, 3))
        board = Board(
            community_id=community.pk,
            state=BoardState.OUTDATED,
            specialist_name=old.name,
            specialist_phone=old.phone,
            generated_at=generated,
            generated_by_id=self.admin_id,
            printed_at=printed,
            outdated_at=min(switched, self.now - timedelta(hours=1)),
        )
        self._install(board, plan, printed)
        board.installed_by_id = old.user_id
        self.rows.append(board)


def build_boards(
    rng: random.Random, now: datetime, start: datetime, areas: Areas, admin: User | None
) -> BoardStats:
    writer = _Writer(rng, now, start, admin)
    switched = {
        p.grid.code: p.periods[-1][0] for p in areas.grids if p.grid.code in REASSIGNED_GRIDS
    }
    latest = max(switched, key=lambda code: switched[code]) if switched else None
    waiting = {c for c, at in switched.items() if c == latest or at > now - RECENT}
    stats = BoardStats(communities=len(areas.communities))
    demo_printed: list[tuple[Community, GridPlan]] = []
    first: list[tuple[Community, GridPlan]] = []
    rest: list[tuple[Community, GridPlan]] = []
    for plan in areas.grids:
        code = plan.grid.code
        for community in plan.communities:
            if code in switched:
                writer.old_board(community, plan, switched[code])
                stats.outdated += 1
            if code in waiting:
                stats.to_reprint += 1
            elif plan is areas.demo_grid and len(demo_printed) < PRINTED_ON_DEMO_GRID:
                demo_printed.append((community, plan))
            elif plan is areas.demo_grid:
                first.append((community, plan))
            else:
                rest.append((community, plan))
    rng.shuffle(rest)
    ordered = first + rest
    total = stats.communities
    installed = min(round(total * INSTALLED_SHARE), len(ordered))
    printed = max(0, round(total * PRINTED_SHARE) - len(demo_printed))
    generated = round(total * GENERATED_SHARE)
    plan_of_state = (
        [(c, p, BoardState.INSTALLED) for c, p in ordered[:installed]]
        + [(c, p, BoardState.PRINTED) for c, p in demo_printed]
        + [(c, p, BoardState.PRINTED) for c, p in ordered[installed : installed + printed]]
        + [
            (c, p, BoardState.GENERATED)
            for c, p in ordered[installed + printed : installed + printed + generated]
        ]
    )
    for community, plan, state in plan_of_state:
        writer.board(community, plan, state, after=plan.periods[-1][0] + timedelta(days=1))
        stats.installed += state == BoardState.INSTALLED
        stats.printed += state == BoardState.PRINTED
        stats.generated += state == BoardState.GENERATED
    Board.objects.bulk_create(writer.rows, batch_size=500)
    return stats
