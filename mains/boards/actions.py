"""Writes on notice boards: the lifecycle generated → printed → installed → outdated."""

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas.models import Community, Grid
from mains.boards.models import BatchState, Board, BoardBatch, BoardState
from mains.org.models import User
from mains.org.permissions import require_role
from mains.org.roles import NOTICE_BOARD_ROLES


class BoardStateError(Exception):
    """The board is not (or no longer) in a state that allows this step."""


# Which states each step may start from.
ALLOWED_FROM: dict[str, set[str]] = {
    BoardState.PRINTED: {BoardState.GENERATED},
    BoardState.INSTALLED: {BoardState.PRINTED},
    BoardState.OUTDATED: {BoardState.GENERATED, BoardState.PRINTED, BoardState.INSTALLED},
}


def _move(board: Board, to: str, **fields) -> None:
    """Change the state in one UPDATE … WHERE state IN (allowed), refusing a stale board."""
    updated = Board.objects.filter(pk=board.pk, state__in=ALLOWED_FROM[to]).update(
        state=to, **fields
    )
    if updated != 1:
        current = Board.objects.filter(pk=board.pk).values_list("state", flat=True).first()
        label = BoardState(current).label if current else _("deleted")
        raise BoardStateError(
            _("This board is %(state)s; it cannot become %(target)s.")
            % {"state": label, "target": BoardState(to).label}
        )
    board.state = to
    for name, value in fields.items():
        setattr(board, name, value)


@transaction.atomic
def do_generate_boards(
    communities: Iterable[Community], by: User | None, batch: BoardBatch | None = None
) -> list[Board]:
    """Record that a PDF was made for these communities, with who it shows.

    A community whose board is still only generated gets that board refreshed; any
    other gets a new board (an installed one stays on the wall until it is replaced).
    """
    require_role(by, NOTICE_BOARD_ROLES)
    now = timezone.now()
    communities = list(communities)
    waiting = {
        b.community_id: b
        for b in Board.objects.filter(
            community__in=[c.pk for c in communities], state=BoardState.GENERATED
        )
    }
    boards, new = [], []
    for community in communities:
        spec = community.grid.specialist if community.grid else None
        snapshot = {
            "specialist_name": spec.name if spec else "",
            "specialist_phone": spec.phone if spec else "",
            "generated_at": now,
            "generated_by": by,
            "batch": batch,
        }
        board = waiting.get(community.pk)
        if board is None:
            new.append(Board(community=community, state=BoardState.GENERATED, **snapshot))
            continue
        for name, value in snapshot.items():
            setattr(board, name, value)
        board.save(update_fields=list(snapshot))
        boards.append(board)
    boards.extend(Board.objects.bulk_create(new, batch_size=500))
    return boards


def do_mark_printed(board: Board, by: User | None = None) -> None:
    _move(board, BoardState.PRINTED, printed_at=timezone.now())


@transaction.atomic
def do_mark_batch_printed(batch: BoardBatch) -> int:
    return Board.objects.filter(batch=batch, state=BoardState.GENERATED).update(
        state=BoardState.PRINTED, printed_at=timezone.now()
    )


@transaction.atomic
def do_record_installation(
    board: Board, by: User, photo: UploadedFile, installed_on: datetime.date
) -> None:
    """The specialist put the printed board on the wall; the one it replaces is outdated."""
    now = timezone.now()
    _move(board, BoardState.INSTALLED, installed_on=installed_on, installed_at=now, installed_by=by)
    board.install_photo.save(photo.name or "board.jpg", photo, save=False)
    board.save(update_fields=["install_photo"])
    Board.objects.filter(community_id=board.community_id, state=BoardState.INSTALLED).exclude(
        pk=board.pk
    ).update(state=BoardState.OUTDATED, outdated_at=now)


def do_mark_outdated(board: Board) -> None:
    _move(board, BoardState.OUTDATED, outdated_at=timezone.now())


def mark_grid_outdated(grid: Grid, at: datetime.datetime | None = None) -> list[Board]:
    """The grid's specialist changed: every board of its communities shows the wrong person.

    Returns the boards now outdated: the list to reprint.
    """
    live = Board.objects.filter(community__grid=grid).exclude(state=BoardState.OUTDATED)
    boards = list(live.select_related("community"))
    live.filter(pk__in=[b.pk for b in boards]).update(
        state=BoardState.OUTDATED, outdated_at=at or timezone.now()
    )
    for board in boards:
        board.state = BoardState.OUTDATED
    return boards


def do_request_batch(scope: str, grid: Grid | None, by: User | None) -> BoardBatch:
    """Queue a batch PDF; a Huey job renders it after the transaction commits."""
    from mains.boards.tasks import build_batch  # here: the job calls this module's actions

    batch = BoardBatch.objects.create(scope=scope, grid=grid, requested_by=by)
    transaction.on_commit(lambda: build_batch(batch.pk))
    return batch


def mark_batch(batch: BoardBatch, state: str, **fields) -> None:
    batch.state = state
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=["state", *fields])


__all__ = [
    "BatchState",
    "BoardStateError",
    "do_generate_boards",
    "do_mark_batch_printed",
    "do_mark_outdated",
    "do_mark_printed",
    "do_record_installation",
    "do_request_batch",
    "mark_grid_outdated",
]
