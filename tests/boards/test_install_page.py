import datetime
import html

from django.urls import reverse
from django.utils import timezone

from mains.boards.actions import do_generate_boards, do_mark_printed
from mains.boards.models import Board, BoardState
from tests.boards.conftest import in_site_language, jpeg


def test_the_specialist_sees_only_printed_boards_of_own_communities(client, city, printed_board):
    (west,) = do_generate_boards([city.jinxiu], by=city.admin)
    do_mark_printed(west)
    client.force_login(city.sam)
    page = client.get(reverse("boards:install")).content.decode()
    assert "星光水晶城" in page
    assert "锦绣家园" not in page
    assert timezone.localdate().isoformat() in page


def test_the_specialist_records_an_installation(client, city, printed_board):
    client.force_login(city.sam)
    response = client.post(
        reverse("boards:install"),
        {"board": printed_board.pk, "photo": jpeg(), "installed_on": timezone.localdate()},
    )
    assert response.status_code == 302
    printed_board.refresh_from_db()
    assert printed_board.state == BoardState.INSTALLED
    assert printed_board.installed_by == city.sam


def test_a_specialist_cannot_install_another_grids_board(client, city, printed_board):
    client.force_login(city.tom)
    response = client.post(
        reverse("boards:install"),
        {"board": printed_board.pk, "photo": jpeg(), "installed_on": timezone.localdate()},
    )
    assert response.status_code == 400
    assert Board.objects.get(pk=printed_board.pk).state == BoardState.PRINTED


def test_a_missing_photo_or_a_future_date_is_refused_and_the_choice_kept(
    client, city, printed_board
):
    client.force_login(city.sam)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("boards:install"), {"board": printed_board.pk, "installed_on": tomorrow}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert in_site_language("Take a photo of the board on the wall.") in page
    assert in_site_language("The installation date cannot be in the future.") in page
    assert f'value="{printed_board.pk}"' in page and "checked" in page
    assert Board.objects.get(pk=printed_board.pk).state == BoardState.PRINTED


def test_a_file_that_is_not_an_image_is_refused(client, city, printed_board):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(city.sam)
    fake = SimpleUploadedFile("board.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("boards:install"),
        {"board": printed_board.pk, "photo": fake, "installed_on": timezone.localdate()},
    )
    assert response.status_code == 400
    assert Board.objects.get(pk=printed_board.pk).state == BoardState.PRINTED


def test_a_photo_over_the_attachment_limit_is_refused_saying_the_limit(
    client, city, printed_board, settings
):
    from django.template.defaultfilters import filesizeformat
    from django.utils import translation

    settings.ATTACHMENT_MAX_BYTES = 100  # the site's one limit for photos, not the form's own
    client.force_login(city.sam)
    response = client.post(
        reverse("boards:install"),
        {"board": printed_board.pk, "photo": jpeg(), "installed_on": timezone.localdate()},
    )
    assert response.status_code == 400
    with translation.override(settings.LANGUAGE_CODE):
        limit = str(filesizeformat(100))
    expected = in_site_language("The photo is larger than %(size)s; choose a smaller one.")
    assert html.escape(expected % {"size": limit}) in response.content.decode()
    assert Board.objects.get(pk=printed_board.pk).state == BoardState.PRINTED
