import datetime

import pytest
from django.utils import timezone

from mains.areas.actions import do_assign_grid
from mains.areas.models import Specialist
from mains.boards.actions import (
    BoardStateError,
    do_generate_boards,
    do_mark_outdated,
    do_mark_printed,
    do_record_installation,
)
from mains.boards.models import Board, BoardState
from tests.boards.conftest import jpeg


def test_generating_records_who_the_board_shows(city):
    (board,) = do_generate_boards([city.xingguang], by=city.admin)
    assert board.state == BoardState.GENERATED
    assert (board.specialist_name, board.specialist_phone) == ("孙明", "13900000001")
    assert board.generated_by == city.admin


def test_generating_again_refreshes_the_board_not_yet_printed(city):
    do_generate_boards([city.xingguang], by=city.admin)
    do_generate_boards([city.xingguang], by=city.manager)
    assert Board.objects.filter(community=city.xingguang).count() == 1


def test_a_board_goes_from_printed_to_installed_with_photo_and_date(printed_board, city):
    day = timezone.localdate() - datetime.timedelta(days=1)
    do_record_installation(printed_board, by=city.sam, photo=jpeg(), installed_on=day)
    printed_board.refresh_from_db()
    assert printed_board.state == BoardState.INSTALLED
    assert printed_board.installed_on == day
    assert printed_board.installed_by == city.sam
    assert printed_board.install_photo.name.startswith("boards/installed/")


def test_it_refuses_to_install_a_board_never_printed(city):
    (board,) = do_generate_boards([city.xingguang], by=city.admin)
    with pytest.raises(BoardStateError):
        do_record_installation(board, by=city.sam, photo=jpeg(), installed_on=timezone.localdate())
    board.refresh_from_db()
    assert board.state == BoardState.GENERATED


def test_it_refuses_to_print_an_installed_board_again(printed_board, city):
    do_record_installation(
        printed_board, by=city.sam, photo=jpeg(), installed_on=timezone.localdate()
    )
    with pytest.raises(BoardStateError):
        do_mark_printed(printed_board)


def test_an_outdated_board_cannot_come_back(printed_board):
    do_mark_outdated(printed_board)
    for step in (do_mark_printed, do_mark_outdated):
        with pytest.raises(BoardStateError):
            step(printed_board)


def test_a_stale_copy_cannot_overwrite_a_newer_state(printed_board, city):
    stale = Board.objects.get(pk=printed_board.pk)
    do_mark_outdated(printed_board)
    with pytest.raises(BoardStateError):
        do_record_installation(stale, by=city.sam, photo=jpeg(), installed_on=timezone.localdate())
    assert Board.objects.get(pk=stale.pk).state == BoardState.OUTDATED


def test_installing_a_new_board_outdates_the_one_it_replaces(printed_board, city):
    today = timezone.localdate()
    do_record_installation(printed_board, by=city.sam, photo=jpeg(), installed_on=today)
    (second,) = do_generate_boards([city.xingguang], by=city.admin)
    do_mark_printed(second)
    do_record_installation(second, by=city.sam, photo=jpeg(), installed_on=today)
    printed_board.refresh_from_db()
    assert printed_board.state == BoardState.OUTDATED


def test_reassigning_the_specialist_outdates_the_grids_boards(printed_board, city):
    (west,) = do_generate_boards([city.jinxiu], by=city.admin)
    new = Specialist.objects.get(user=city.tom)
    do_assign_grid(city.grid_east, new, None, by=city.admin)
    printed_board.refresh_from_db()
    west.refresh_from_db()
    assert printed_board.state == BoardState.OUTDATED
    assert printed_board.outdated_at is not None
    assert west.state == BoardState.GENERATED


def test_changing_only_the_deputy_keeps_the_boards(printed_board, city):
    sam = Specialist.objects.get(user=city.sam)
    tom = Specialist.objects.get(user=city.tom)
    do_assign_grid(city.grid_east, sam, tom, by=city.admin)
    printed_board.refresh_from_db()
    assert printed_board.state == BoardState.PRINTED
