"""Each desk event tells the right people, from the action where it happens."""

from datetime import timedelta

import pytest

from mains.desk import actions
from mains.desk.clock import run_sla_clock
from mains.desk.errors import TransitionRefused
from mains.desk.models import WorkOrder
from mains.notify.models import Message
from mains.notify.service import mobile_number


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the block, commit, deliver; the messages made, oldest first."""

    class Capture:
        def __enter__(self):
            self.before = set(Message.objects.values_list("pk", flat=True))
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()
            return self

        def __exit__(self, *exc):
            self.capture.__exit__(*exc)
            self.messages = list(Message.objects.exclude(pk__in=self.before).order_by("pk"))

        def pairs(self):
            return [(m.event, m.channel, m.recipient) for m in self.messages]

    return Capture


def test_creating_an_order_tells_the_resident_and_the_specialist_it_went_to(
    sent, new_order, settings
):
    settings.HOTLINE_NUMBER = "0635-96500"
    with sent() as taken:
        order = new_order()

    assert taken.pairs() == [
        ("order_received", "sms", "13812341234"),
        ("order_assigned", "sms", "13900000001"),
    ]
    received, assigned = taken.messages
    assert order.number in received.body
    assert f"https://mains.example.cn/track/?number={order.number}" in received.body
    assert settings.HOTLINE_NUMBER in received.body, "notify() adds the hotline"
    assert "星光水晶城" in assigned.body and order.number in assigned.body
    assert {m.related for m in taken.messages} == {f"order:{order.pk}"}
    assert {m.status for m in taken.messages} == {Message.Status.SENT}


def test_an_order_nobody_is_routed_to_only_tells_the_resident(sent, new_order, settings):
    settings.AUTO_DISPATCH = False
    with sent() as taken:
        new_order()

    assert taken.pairs() == [("order_received", "sms", "13812341234")]


@pytest.mark.parametrize("phone", ["", "0635-8888888", "12345"])
def test_a_caller_without_a_mobile_number_gets_no_sms(sent, new_order, phone):
    with sent() as taken:
        new_order(caller_phone=phone)

    assert [p[0] for p in taken.pairs()] == ["order_assigned"]


def test_mobile_numbers_are_read_through_spaces_dashes_and_the_country_code():
    assert mobile_number("+86 138-1234-1234") == "13812341234"
    assert mobile_number("0635-8888888") == ""


def test_dispatching_by_hand_tells_the_specialist(sent, new_order, city, settings):
    settings.AUTO_DISPATCH = False
    order = new_order()

    with sent() as taken:
        actions.do_dispatch(order, city.dispatcher, specialist=city.tom.specialist)

    assert taken.pairs() == [("order_assigned", "sms", "13900000002")]


def test_a_transfer_tells_the_new_specialist(sent, new_order, city):
    order = new_order()

    with sent() as taken:
        actions.do_transfer(order, city.dispatcher, city.tom.specialist, city.west, "西城的")

    assert taken.pairs() == [("order_assigned", "sms", "13900000002")]


def test_resolving_tells_the_resident(sent, new_order, city):
    order = new_order()
    actions.do_accept(order, city.sam)

    with sent() as taken:
        actions.do_resolve(order, city.sam, "更换了水表接头。")

    assert taken.pairs() == [("order_resolved", "sms", "13812341234")]
    assert "更换了水表接头" in taken.messages[0].body


def test_a_refused_resolution_tells_nobody(sent, new_order, city):
    order = new_order()
    actions.do_accept(order, city.sam)

    with sent() as taken, pytest.raises(TransitionRefused):
        actions.do_resolve(order, city.sam, "   ")

    assert taken.pairs() == []


def test_the_sla_clock_warns_the_unit_manager_by_mail_and_the_wecom_group(
    sent, new_order, city, real_backends
):
    smtp, gateway = real_backends
    city.unit_manager.email = "una@example.cn"
    city.unit_manager.save(update_fields=["email"])
    order = WorkOrder.objects.get(pk=new_order().pk)

    with sent() as taken:
        run_sla_clock(order.warn_at + timedelta(seconds=1))

    assert taken.pairs() == [
        ("sla_warning", "wecom", "东城供水服务站"),
        ("sla_warning", "email", "una@example.cn"),
    ]
    assert {m.status for m in taken.messages} == {Message.Status.SENT}
    (mail,) = smtp.messages
    assert mail["to"] == ["una@example.cn"]
    assert order.number in mail["email"]["Subject"]
    assert "即将超时" in gateway.received[-1]["json"]["text"]["content"]


def test_the_sla_clock_tells_of_an_overdue_order_once(sent, new_order, city):
    city.unit_manager.email = "una@example.cn"
    city.unit_manager.save(update_fields=["email"])
    order = WorkOrder.objects.get(pk=new_order().pk)

    with sent() as taken:
        run_sla_clock(order.current_due + timedelta(seconds=1))
        run_sla_clock(order.current_due + timedelta(minutes=5))

    assert taken.pairs() == [
        ("sla_overdue", "wecom", "东城供水服务站"),
        ("sla_overdue", "email", "una@example.cn"),
    ]
    assert "已超时" in taken.messages[0].body


def test_orders_of_a_unit_without_a_manager_warn_nobody(sent, new_order, city):
    order = WorkOrder.objects.get(pk=new_order(community=city.jinxiu).pk)

    with sent() as taken:
        run_sla_clock(order.warn_at + timedelta(seconds=1))

    assert taken.pairs() == []
