"""Photos and files of finished orders are deleted after ATTACHMENT_RETENTION_DAYS, and the
order's history says what went."""

import io
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image

from mains.desk import actions, tasks
from mains.desk.models import Attachment, OrderEvent, WorkOrder
from mains.desk.retention import do_expire_attachments
from mains.desk.states import Action

LOCAL = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 6, 1, 3, 0, tzinfo=LOCAL)


def png(name: str) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def finished(city, new_order, settings):
    """Orders with a photo, cancelled 400 and 300 days before NOW, and one still open."""
    settings.ATTACHMENT_RETENTION_DAYS = 365

    def cancelled(days_ago: int, name: str) -> WorkOrder:
        with time_machine.travel(NOW - timedelta(days=days_ago + 1), tick=False):
            order = new_order(files=[png(name)])
        with time_machine.travel(NOW - timedelta(days=days_ago), tick=False):
            actions.do_cancel(order, city.dispatcher, "重复来电")
        return WorkOrder.objects.get(pk=order.pk)

    old = cancelled(400, "旧照片.png")
    recent = cancelled(300, "新照片.png")
    with time_machine.travel(NOW - timedelta(days=500), tick=False):
        still_open = new_order(files=[png("未完成.png")])
    return old, recent, still_open


def stored(order: WorkOrder) -> list[Path]:
    return [Path(a.file.path) for a in order.attachments.all()]


def test_only_the_files_of_orders_finished_past_the_retention_are_deleted(finished):
    old, recent, still_open = finished
    old_files = stored(old)
    assert all(path.is_file() for path in old_files)

    result = do_expire_attachments(now=NOW)

    assert result.orders == {old.number: 1}
    assert not any(path.exists() for path in old_files)
    assert not old.attachments.exists()
    assert recent.attachments.count() == 1 and all(p.is_file() for p in stored(recent))
    assert still_open.attachments.count() == 1 and all(p.is_file() for p in stored(still_open))


def test_the_order_history_says_which_files_went_and_why(client, city, finished):
    old = finished[0]
    do_expire_attachments(now=NOW)
    event = OrderEvent.objects.get(order=old, action=Action.FILES_EXPIRED)
    assert event.actor is None
    assert event.data == {"names": ["旧照片.png"], "retention_days": 365}
    # Written by the night job in the installation's language.
    note = "工单结束后已保留 365 天，删除照片和附件 1 个：旧照片.png。"
    assert event.note == note
    client.force_login(city.dispatcher)
    page = client.get(reverse("desk:order", args=[old.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Photos and files deleted" in html and note in html


def test_a_second_run_deletes_nothing_more_and_writes_no_second_note(finished):
    do_expire_attachments(now=NOW)
    again = do_expire_attachments(now=NOW)
    assert again.orders == {}
    assert OrderEvent.objects.filter(action=Action.FILES_EXPIRED).count() == 1


def test_a_file_already_missing_on_disk_still_has_its_row_removed(finished):
    old = finished[0]
    for path in stored(old):
        path.unlink()
    assert do_expire_attachments(now=NOW).orders == {old.number: 1}
    assert not old.attachments.exists()


def test_a_dry_run_lists_and_deletes_nothing(finished):
    old = finished[0]
    files = stored(old)
    result = do_expire_attachments(now=NOW, dry_run=True)
    assert result.orders == {old.number: 1}
    assert all(path.is_file() for path in files)
    assert Attachment.objects.count() == 3
    assert not OrderEvent.objects.filter(action=Action.FILES_EXPIRED).exists()


def test_a_retention_of_zero_keeps_everything(finished, settings):
    settings.ATTACHMENT_RETENTION_DAYS = 0
    assert do_expire_attachments(now=NOW).orders == {}
    assert Attachment.objects.count() == 3


def test_the_command_dry_runs_then_deletes(finished):
    old = finished[0]
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("expire_attachments", "--dry-run", stdout=out)
        assert Attachment.objects.count() == 3
        call_command("expire_attachments", "--days", "200", stdout=out)
    text = out.getvalue()
    assert f"{old.number}\t1" in text
    assert Attachment.objects.filter(order=finished[2]).count() == 1  # open: kept
    assert Attachment.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("expire_attachments", "--days", "-1", stdout=out)


def test_the_nightly_job_applies_the_setting(finished):
    with time_machine.travel(NOW, tick=False):
        report = tasks.expire_attachments_each_night.call_local()
    assert report == {"orders": 1, "files": 1, "failed": 0}
