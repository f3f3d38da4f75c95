import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mains.boards.actions import do_generate_boards, do_mark_printed, do_record_installation
from mains.boards.models import BatchState, Board, BoardBatch, BoardState
from mains.boards.queries import coverage
from tests.boards.conftest import in_site_language, jpeg, page_count


def install(board, city):
    do_mark_printed(board)
    do_record_installation(board, by=city.sam, photo=jpeg(), installed_on=timezone.localdate())


def test_coverage_counts_installed_boards_by_grid(city):
    generated = do_generate_boards([city.xingguang, city.jinxiu], by=city.admin)
    install(generated[0], city)
    found = coverage()
    assert (found.installed, found.total) == (1, 2)
    by_code = {g.code: g for g in found.grids}
    assert (by_code["E01"].installed, by_code["E01"].total) == (1, 1)
    assert (by_code["W01"].installed, by_code["W01"].missing) == (0, 1)
    assert [c.name for c, _state in found.missing] == ["锦绣家园"]


def test_an_outdated_board_counts_as_missing_and_to_reprint(city):
    (board,) = do_generate_boards([city.xingguang], by=city.admin)
    install(board, city)
    from mains.areas.actions import do_assign_grid
    from mains.areas.models import Specialist

    do_assign_grid(city.grid_east, Specialist.objects.get(user=city.tom), None, by=city.admin)
    found = coverage()
    assert found.installed == 0
    assert [c.name for c in found.to_reprint] == ["星光水晶城"]


def test_the_coverage_page_shows_the_figures(client, city):
    install(do_generate_boards([city.xingguang], by=city.admin)[0], city)
    client.force_login(city.manager)
    response = client.get(reverse("boards:coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="board-chart"' in page
    assert f'data-community="{city.jinxiu.pk}"' in page
    assert f'data-community="{city.xingguang.pk}"' not in page
    assert 'id="board-recent"' in page and "/media/boards/installed/" in page


def test_the_missing_list_names_each_community_boards_state(client, city):
    (board,) = do_generate_boards([city.jinxiu], by=city.admin)
    do_mark_printed(board)
    client.force_login(city.manager)
    page = client.get(reverse("boards:coverage")).content.decode()
    row = page[page.index(f'data-community="{city.jinxiu.pk}"') :].split("</tr>")[0]
    label = in_site_language(str(BoardState.PRINTED.label))
    assert f'<span class="badge text-bg-warning">{label}</span>' in row


def test_the_coverage_page_answers_in_a_fixed_number_of_queries(
    client, city, django_assert_max_num_queries
):
    client.force_login(city.admin)
    with django_assert_max_num_queries(12):
        client.get(reverse("boards:coverage"))


@pytest.mark.parametrize("who", ["agent", "sam", "unit_manager", "supervisor", "inspector"])
def test_other_roles_cannot_open_the_board_pages(client, city, who):
    client.force_login(getattr(city, who))
    for url in (
        reverse("boards:coverage"),
        reverse("boards:missing_export"),
        reverse("boards:community_pdf", args=[city.xingguang.pk]),
    ):
        assert client.get(url).status_code == 403


def test_only_specialists_open_the_install_page(client, city):
    client.force_login(city.dispatcher)
    assert client.get(reverse("boards:install")).status_code == 403


def test_the_missing_list_exports_to_excel(client, city):
    client.force_login(city.dispatcher)
    response = client.get(reverse("boards:missing_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["星光水晶城", "锦绣家园"]


def test_a_single_board_downloads_as_pdf_and_is_recorded(client, city):
    client.force_login(city.admin)
    response = client.get(reverse("boards:community_pdf", args=[city.jinxiu.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    board = Board.objects.get(community=city.jinxiu)
    assert (board.state, board.specialist_name) == (BoardState.GENERATED, "唐涛")


def test_an_unknown_community_has_no_board(client, city):
    client.force_login(city.admin)
    assert client.get(reverse("boards:community_pdf", args=[999999])).status_code == 404


def test_a_grid_batch_renders_in_a_job_and_downloads(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city.manager)
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(
            reverse("boards:batch_create"), {"scope": "grid", "grid": city.grid_east.pk}
        )
    assert with_commit.status_code == 302
    batch = BoardBatch.objects.get()
    assert (batch.state, batch.pages) == (BatchState.DONE, 1)
    download = client.get(reverse("boards:batch_download", args=[batch.pk]))
    pdf = b"".join(download.streaming_content)
    assert page_count(pdf) == 1
    assert Board.objects.get(community=city.xingguang).batch == batch
    client.post(reverse("boards:batch_printed", args=[batch.pk]))
    assert Board.objects.get(community=city.xingguang).state == BoardState.PRINTED


def test_a_grid_batch_without_a_grid_is_refused_with_a_message(client, city):
    client.force_login(city.manager)
    response = client.post(reverse("boards:batch_create"), {"scope": "grid"}, follow=True)
    assert BoardBatch.objects.count() == 0
    assert in_site_language("Pick the grid whose boards to print.") in response.content.decode()


def test_the_batch_list_shows_the_state(client, city):
    BoardBatch.objects.create(scope="all", requested_by=city.admin)
    client.force_login(city.admin)
    page = client.get(reverse("boards:batches")).content.decode()
    assert 'data-state="queued"' in page
    assert 'hx-trigger="every 2s"' in page


def test_a_reprint_batch_holds_only_communities_whose_boards_are_all_outdated(city):
    from mains.areas.actions import do_assign_grid
    from mains.areas.models import Specialist
    from mains.boards.queries import communities_for_batch

    do_generate_boards([city.xingguang, city.jinxiu], by=city.admin)
    do_assign_grid(city.grid_east, Specialist.objects.get(user=city.tom), None, by=city.admin)
    batch = BoardBatch(scope=BoardBatch.Scope.REPRINT)
    assert [c.name for c in communities_for_batch(batch)] == ["星光水晶城"]
    do_generate_boards([city.xingguang], by=city.admin)
    assert list(communities_for_batch(batch)) == []


def test_a_batch_that_fails_to_render_says_so(
    city, monkeypatch, django_capture_on_commit_callbacks
):
    from mains.boards import tasks
    from mains.boards.actions import do_request_batch

    def broken(communities):
        raise OSError("no fonts")

    monkeypatch.setattr(tasks, "board_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch = do_request_batch(BoardBatch.Scope.ALL, None, by=city.admin)
    batch.refresh_from_db()
    assert (batch.state, batch.error) == (BatchState.FAILED, "no fonts")
    assert not Board.objects.exists()
