"""Changes made in the admin take the same paths as the pages: history kept, boards outdated."""

from mains.areas.models import GridAssignment, Specialist
from mains.boards.actions import do_generate_boards
from mains.boards.models import BoardState


def _grid_form(grid, specialist, deputy=None) -> dict:
    return {
        "code": grid.code,
        "name": grid.name,
        "unit": grid.unit_id,
        "specialist": specialist.pk if specialist else "",
        "deputy": deputy.pk if deputy else "",
    }


def test_a_new_specialist_set_in_the_admin_is_an_assignment_and_outdates_the_boards(client, city):
    (board,) = do_generate_boards([city.xingguang], by=city.admin)
    tom = Specialist.objects.get(user=city.tom)
    client.force_login(city.admin)
    response = client.post(
        f"/admin/areas/grid/{city.grid_east.pk}/change/", _grid_form(city.grid_east, tom)
    )
    assert response.status_code == 302
    current = GridAssignment.objects.get(grid=city.grid_east, ended_at__isnull=True)
    assert (current.specialist, current.assigned_by) == (tom, city.admin)
    board.refresh_from_db()
    assert board.state == BoardState.OUTDATED


def test_a_specialists_new_phone_outdates_the_boards_that_print_it(client, city):
    (board,) = do_generate_boards([city.xingguang], by=city.admin)
    sam = Specialist.objects.get(user=city.sam)
    client.force_login(city.admin)
    response = client.post(
        f"/admin/areas/specialist/{sam.pk}/change/",
        {"name": sam.name, "phone": "13900000099", "user": sam.user_id},
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.state == BoardState.OUTDATED
