"""Issue 10, item 1: a resident's photo on an order is seen only by those who may see the
order; /media/ serves only what is public on purpose (specialists' and board photos)."""

import importlib
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from PIL import Image

from mains.boards.models import BatchState, BoardBatch
from mains.desk.models import Attachment
from mains.env import envcount, envurlpath
from mains.org.models import User
from mains.org.roles import Role

PRIVATE_NAME = re.compile(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.png")


def png_bytes(colour: str = "green") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def file_url(attachment: Attachment) -> str:
    return reverse("desk:attachment", args=[attachment.order_id, attachment.pk])


def on_disk(settings, name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


@pytest.fixture
def photo(city, new_order) -> Attachment:
    """A resident's photo on an order of 星光水晶城 (grid E01: sam's, unit east)."""
    order = new_order(files=[png()])
    return order.attachments.get()


@pytest.fixture(autouse=True)
def _media_routes_read_this_media_root(settings, monkeypatch):
    """A route that captured a document root when the URLconf was imported (as the open
    /media/ of old did) serves this test's MEDIA_ROOT, so a leak cannot hide behind it."""
    for pattern in get_resolver().url_patterns:
        if "document_root" in getattr(pattern, "default_args", {}):
            monkeypatch.setitem(pattern.default_args, "document_root", settings.MEDIA_ROOT)


def as_user(client, user: User):
    client.force_login(user)
    return client


def test_the_media_address_of_an_attachment_answers_404_to_anyone(client, city, photo, settings):
    assert on_disk(settings, photo.file.name).is_file()
    assert client.get("/media/" + photo.file.name).status_code == 404
    as_user(client, city.dispatcher)
    assert client.get("/media/" + photo.file.name).status_code == 404


def test_an_old_guessable_media_address_answers_404(client, settings):
    old = on_disk(settings, "attachments/2026/12/IMG_0559.jpg")
    old.parent.mkdir(parents=True)
    old.write_bytes(png_bytes())
    assert client.get("/media/attachments/2026/12/IMG_0559.jpg").status_code == 404
    assert client.get("/media/attachments/2026/12/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "specialists/../attachments/2026/12/IMG_0559.jpg",
        "specialists/%2e%2e/attachments/2026/12/IMG_0559.jpg",
        "boards/installed/../../attachments/2026/12/IMG_0559.jpg",
        "/attachments/2026/12/IMG_0559.jpg",
    ],
)
def test_a_path_that_climbs_out_of_a_public_folder_answers_404(client, settings, path):
    old = on_disk(settings, "attachments/2026/12/IMG_0559.jpg")
    old.parent.mkdir(parents=True)
    old.write_bytes(png_bytes())
    assert client.get("/media/" + path).status_code == 404


def test_an_anonymous_visitor_of_the_file_view_is_sent_to_log_in(client, photo):
    url = file_url(photo)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_someone_who_may_not_see_the_order_gets_the_404_of_a_missing_file(
    client, city, new_order, photo
):
    west_photo = new_order(community=city.jinxiu, files=[png("西区.png")]).attachments.get()
    missing_attachment = reverse("desk:attachment", args=[photo.order_id, 999999])
    missing_order = reverse("desk:attachment", args=[999999, photo.pk])

    as_user(client, city.tom)  # the specialist of the other grid
    answers = [client.get(url) for url in (file_url(photo), missing_attachment, missing_order)]
    as_user(client, city.unit_manager)  # manages the east unit, not the west one
    answers.append(client.get(file_url(west_photo)))
    as_user(client, city.sam)  # his own order's address, another order's file
    answers.append(client.get(reverse("desk:attachment", args=[photo.order_id, west_photo.pk])))

    assert [r.status_code for r in answers] == [404] * 5
    assert len({r.content for r in answers}) == 1
    assert all(png_bytes() not in r.content for r in answers)


@pytest.mark.parametrize("who", ["sam", "dispatcher"])
def test_the_assignee_and_a_dispatcher_get_the_photo_with_safe_headers(client, city, photo, who):
    as_user(client, getattr(city, who))
    response = client.get(file_url(photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    # The Chinese name survives (RFC 5987), shown in the browser rather than downloaded.
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    )


def test_the_order_page_links_the_photo_through_the_file_view(client, city, photo):
    page = as_user(client, city.sam).get(reverse("desk:order", args=[photo.order_id]))
    html = page.content.decode()
    assert f'<img src="{file_url(photo)}"' in html
    assert "/media/" not in html
    assert photo.file.url == file_url(photo)  # even code that asks the file for its URL


def test_a_csv_or_a_recorded_web_page_type_is_downloaded_not_shown(client, city, photo):
    evidence = Attachment.objects.create(
        order=photo.order,
        file=ContentFile(b"meter_id,ts\n", name="XG-M1-burst.csv"),
        name="XG-M1-burst.csv",
        content_type="text/csv",
    )
    page = Attachment.objects.create(
        order=photo.order,
        file=ContentFile(b"<script>alert(1)</script>", name="x.html"),
        name='x"\r\n.html',
        content_type="text/html",
    )
    as_user(client, city.dispatcher)
    csv = client.get(file_url(evidence))
    assert csv["Content-Disposition"] == 'attachment; filename="XG-M1-burst.csv"'
    html = client.get(file_url(page))
    assert html["Content-Disposition"].startswith("attachment; ")
    assert "\r" not in html["Content-Disposition"] and "\n" not in html["Content-Disposition"]
    assert html["X-Content-Type-Options"] == "nosniff"


def test_a_file_missing_on_disk_answers_404(client, city, photo, settings):
    on_disk(settings, photo.file.name).unlink()
    assert as_user(client, city.sam).get(file_url(photo)).status_code == 404


def test_the_stored_name_keeps_nothing_of_the_uploaded_name(city, new_order):
    first = new_order(files=[png()]).attachments.get()
    second = new_order(files=[png()]).attachments.get()
    assert (first.name, second.name) == ("现场照片.png", "现场照片.png")
    assert first.file.name != second.file.name
    for stored in (first.file.name, second.file.name):
        assert PRIVATE_NAME.fullmatch(stored), stored
    evidence = Attachment.objects.create(
        order=first.order,
        file=ContentFile(b"x", name="XG-M1-burst-20260301T1400Z.csv"),
        name="XG-M1-burst-20260301T1400Z.csv",
        content_type="text/csv",
    )
    assert "XG-M1" not in evidence.file.name and evidence.file.name.endswith(".csv")


def test_a_stored_name_drops_an_extension_a_server_could_run(city, photo):
    sneaky = Attachment.objects.create(
        order=photo.order, file=ContentFile(b"x", name="shell.php"), name="shell.php"
    )
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}", sneaky.file.name)


def test_behind_nginx_the_view_answers_x_accel_redirect_and_no_body(client, city, photo, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media"
    response = as_user(client, city.sam).get(file_url(photo))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.file.name}"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Cache-Control"] == "private"
    assert response["X-Content-Type-Options"] == "nosniff"
    as_user(client, city.tom)
    assert "X-Accel-Redirect" not in client.get(file_url(photo))


def test_a_specialists_photo_and_a_board_photo_stay_public(client, settings):
    for name in ("specialists/sun-ming.png", "boards/installed/2026/12/board.png"):
        path = on_disk(settings, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes())
        response = client.get("/media/" + name)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == png_bytes()


def test_a_batch_pdf_is_only_downloaded_by_the_boards_roles(client, city, settings):
    batch = BoardBatch.objects.create(scope=BoardBatch.Scope.ALL, state=BatchState.DONE)
    batch.file.save("boards-1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert re.fullmatch(r"boards/batches/[0-9a-f]{32}\.pdf", batch.file.name)
    assert client.get("/media/" + batch.file.name).status_code == 404
    url = reverse("boards:batch_download", args=[batch.pk])
    assert client.get(url).status_code == 302  # to the log-in
    assert as_user(client, city.sam).get(url).status_code == 403
    response = as_user(client, city.dispatcher).get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert response["Content-Disposition"] == f'attachment; filename="boards-{batch.pk}.pdf"'
    assert response["Cache-Control"] == "private"
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media"
    assert client.get(url)["X-Accel-Redirect"] == f"/protected-media/{batch.file.name}"


def test_the_admin_links_a_batch_pdf_through_the_boards_view(client, city):
    batch = BoardBatch.objects.create(scope=BoardBatch.Scope.ALL, state=BatchState.DONE)
    batch.file.save("boards-1.pdf", ContentFile(b"%PDF-1.4\n"))
    root = User.objects.create_superuser("root", password="pw-root", role=Role.ADMIN)
    page = as_user(client, root).get(f"/admin/boards/boardbatch/{batch.pk}/change/")
    html = page.content.decode()
    assert reverse("boards:batch_download", args=[batch.pk]) in html
    assert "/media/" not in html


def legacy_row(order, name: str, settings, content: bytes | None) -> Attachment:
    """A row as stored before the private names: the uploaded name, in the open folder."""
    attachment = Attachment.objects.create(order=order, name=Path(name).name)
    Attachment.objects.filter(pk=attachment.pk).update(file=name)
    if content is not None:
        path = on_disk(settings, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    attachment.refresh_from_db()
    return attachment


def test_the_data_migration_gives_old_files_private_names_and_can_run_twice(
    city, new_order, settings, django_capture_on_commit_callbacks
):
    order = new_order()
    old = legacy_row(order, "attachments/2026/12/张三家漏水.png", settings, png_bytes())
    lost = legacy_row(order, "attachments/2026/12/gone.png", settings, None)
    migration = importlib.import_module("mains.desk.migrations.0009_attachments_renamed_privately")

    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_attachments(apps, None)
    old.refresh_from_db()
    assert PRIVATE_NAME.fullmatch(old.file.name), old.file.name
    assert on_disk(settings, old.file.name).read_bytes() == png_bytes()
    assert not on_disk(settings, "attachments/2026/12/张三家漏水.png").exists()
    assert old.name == "张三家漏水.png"
    lost.refresh_from_db()
    assert lost.file.name == "attachments/2026/12/gone.png"  # left as it was, no error

    renamed = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_attachments(apps, None)
    old.refresh_from_db()
    assert old.file.name == renamed
    assert on_disk(settings, renamed).is_file()


def test_a_deleted_order_takes_its_files_off_the_disk_once_committed(
    photo, settings, django_capture_on_commit_callbacks
):
    path = on_disk(settings, photo.file.name)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        photo.order.delete()
    assert path.is_file()  # not before the deletion is committed
    for callback in pending:
        callback()
    assert not path.exists()


@pytest.mark.parametrize("raw", ["protected-media", "//cdn.example/x", "/a b", "/x?y"])
def test_an_accel_prefix_that_is_not_a_local_path_is_refused_at_start_up(monkeypatch, raw):
    monkeypatch.setenv("MEDIA_ACCEL_REDIRECT_PREFIX", raw)
    with pytest.raises(ImproperlyConfigured, match="MEDIA_ACCEL_REDIRECT_PREFIX"):
        envurlpath("MEDIA_ACCEL_REDIRECT_PREFIX", "")


def test_an_accel_prefix_loses_its_trailing_slash_and_a_negative_retention_is_refused(
    monkeypatch,
):
    monkeypatch.setenv("MEDIA_ACCEL_REDIRECT_PREFIX", "/protected-media/")
    assert envurlpath("MEDIA_ACCEL_REDIRECT_PREFIX", "") == "/protected-media"
    monkeypatch.setenv("ATTACHMENT_RETENTION_DAYS", "-1")
    with pytest.raises(ImproperlyConfigured, match="ATTACHMENT_RETENTION_DAYS"):
        envcount("ATTACHMENT_RETENTION_DAYS", 365)
