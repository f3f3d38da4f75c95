"""notify(): one logged message per recipient and channel, sent by Huey after commit,
with its outcome; failures are recorded and retried."""

import pytest
from django.db import transaction
from huey.contrib.djhuey import HUEY

from mains.notify.events import Event
from mains.notify.models import Message, Template
from mains.notify.service import Recipient, notify
from mains.notify.tasks import RETRIES
from tests.notify.conftest import run_due_retries

CONTEXT = {"number": "2026112100042", "category": "管道漏水", "tracking_url": "https://x/t"}


def fresh(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


def test_it_logs_a_message_per_recipient_and_channel_and_sends_them_after_commit(
    real_backends, django_capture_on_commit_callbacks
):
    smtp, gateway = real_backends
    people = [
        Recipient(name="乌娜", email="una@example.cn", wecom=True),
        Recipient(name="张三", phone="13812341234", email="zs@example.cn"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        made = notify(Event.SLA_WARNING, people, CONTEXT, related="order:1")
        assert gateway.received == [] and smtp.messages == []  # nothing before the commit

    # sla_warning has e-mail and WeCom templates, no SMS one.
    assert sorted((m.channel, m.recipient) for m in made) == [
        ("email", "una@example.cn"),
        ("email", "zs@example.cn"),
        ("wecom", "乌娜"),
    ]
    assert {m.status for m in Message.objects.all()} == {Message.Status.SENT}
    assert {m.related for m in Message.objects.all()} == {"order:1"}
    assert sorted(to for m in smtp.messages for to in m["to"]) == [
        "una@example.cn",
        "zs@example.cn",
    ]
    assert "2026112100042" in gateway.received[0]["json"]["text"]["content"]


def test_notify_inside_a_rolled_back_transaction_sends_nothing(
    real_backends, django_capture_on_commit_callbacks
):
    smtp, gateway = real_backends
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT)
            raise RuntimeError("the action failed")

    assert callbacks == []
    assert Message.objects.count() == 0
    assert gateway.received == [] and smtp.messages == []


def test_an_event_without_an_active_template_makes_no_message():
    Template.objects.filter(event=Event.ORDER_RECEIVED).update(active=False)

    assert notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT) == []
    assert Message.objects.count() == 0


def test_the_same_address_twice_gets_one_message():
    twice = [Recipient(phone="13812341234"), Recipient(phone=" 13812341234 ")]

    assert len(notify(Event.ORDER_RECEIVED, twice, CONTEXT)) == 1


def test_a_broken_template_is_logged_as_failed_and_never_breaks_the_caller(
    django_capture_on_commit_callbacks,
):
    Template.objects.filter(event=Event.ORDER_RECEIVED).update(body="{% if %}坏了")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (made,) = notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT)

    assert callbacks == []
    assert fresh(made).status == Message.Status.FAILED
    assert fresh(made).error.startswith("template:")


def test_a_failure_is_logged_with_its_error_and_retried_by_huey(
    real_backends, django_capture_on_commit_callbacks
):
    _smtp, gateway = real_backends
    gateway.answer(200, {"code": 1001, "message": "余额不足"})

    with django_capture_on_commit_callbacks(execute=True):
        (made,) = notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT)

    failed_once = fresh(made)
    assert failed_once.status == Message.Status.QUEUED  # a retry is coming
    assert failed_once.attempts == 1
    assert "1001" in failed_once.error and "余额不足" in failed_once.error
    assert failed_once.backend == "sms_http"
    assert HUEY.scheduled_count() == 1

    assert run_due_retries() == 1

    sent = fresh(made)
    assert sent.status == Message.Status.SENT
    assert sent.attempts == 2
    assert sent.error == ""
    assert sent.sent_at is not None
    assert len(gateway.received) == 2


def test_a_message_that_fails_every_retry_ends_failed(
    real_backends, django_capture_on_commit_callbacks
):
    _smtp, gateway = real_backends
    for _attempt in range(RETRIES + 1):
        gateway.answer(503, {"message": "maintenance"})

    with django_capture_on_commit_callbacks(execute=True):
        (made,) = notify(Event.ORDER_RESOLVED, [Recipient(phone="13812341234")], CONTEXT)
    run_due_retries()

    failed = fresh(made)
    assert failed.status == Message.Status.FAILED
    assert failed.attempts == RETRIES + 1
    assert "HTTP 503" in failed.error
    assert HUEY.scheduled_count() == 0


def test_a_sent_message_is_not_sent_again(real_backends, django_capture_on_commit_callbacks):
    from mains.notify.tasks import deliver

    _smtp, gateway = real_backends
    with django_capture_on_commit_callbacks(execute=True):
        (made,) = notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT)
    deliver(made.pk)

    assert len(gateway.received) == 1
    assert fresh(made).attempts == 1


def test_a_muted_block_makes_and_sends_nothing(django_capture_on_commit_callbacks):
    from mains.notify.service import muted

    with django_capture_on_commit_callbacks(execute=True) as callbacks, muted():
        assert notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT) == []

    assert callbacks == [] and Message.objects.count() == 0
    assert len(notify(Event.ORDER_RECEIVED, [Recipient(phone="13812341234")], CONTEXT)) == 1


def test_landlines_and_junk_get_no_sms():
    people = [
        Recipient(phone="0635-8888888"),
        Recipient(phone="abc"),
        Recipient(phone="+8613812341234"),
    ]

    assert [m.recipient for m in notify(Event.OUTAGE_ENDED, people, {})] == ["13812341234"]
