"""The tracking page says what the order's state means and when the next step is due,
from the order's own deadlines; a step past its deadline says it is late."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from mains.desk.actions import do_accept, do_arrive, do_resolve
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.public.queries import STATE_MEANINGS, public_status

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=TZ)
DUES = {
    "accept_due": datetime(2026, 12, 3, 10, 30, tzinfo=TZ),
    "arrive_due": datetime(2026, 12, 3, 12, 0, tzinfo=TZ),
    "resolve_due": datetime(2026, 12, 4, 18, 0, tzinfo=TZ),
    "callback_due": datetime(2026, 12, 6, 9, 0, tzinfo=TZ),
}


def status(state: str, **dues):
    order = WorkOrder(state=state, **{**DUES, **dues})
    with translation.override("zh-hans"):
        return public_status(order, now=NOW)


@pytest.mark.parametrize(
    ("state", "expected", "due"),
    [
        (
            State.RECEIVED,
            "我们将派给网格服务专员，网格服务专员将在 2026年12月3日 10:30 前接单。",
            "accept_due",
        ),
        (State.RETURNED, "网格服务专员将在 2026年12月3日 10:30 前接单", "accept_due"),
        (State.DISPATCHED, "网格服务专员将在 2026年12月3日 12:00 前到场。", "arrive_due"),
        (State.ACCEPTED, "网格服务专员将在 2026年12月3日 12:00 前到场。", "arrive_due"),
        (State.ON_SITE, "预计在 2026年12月4日 18:00 前处理完毕。", "resolve_due"),
        (State.REOPENED, "网格服务专员将在 2026年12月3日 10:30 前重新接单。", "accept_due"),
        (State.RESOLVED, "我们将在 2026年12月6日 09:00 前回访您", "callback_due"),
    ],
)
def test_each_open_state_says_when_to_expect_the_next_step(state, expected, due):
    result = status(state)
    assert expected in result.next_step
    assert result.due == DUES[due] and not result.late
    with translation.override("zh-hans"):
        assert result.meaning == str(STATE_MEANINGS[state]) and result.meaning


def test_without_a_visit_deadline_dispatched_and_accepted_give_the_next_one():
    assert (
        "网格服务专员将在 2026年12月3日 10:30 前接单。"
        in status(State.DISPATCHED, arrive_due=None).next_step
    )
    assert (
        "预计在 2026年12月4日 18:00 前处理完毕。"
        in status(State.ACCEPTED, arrive_due=None).next_step
    )


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (State.SUSPENDED, "恢复处理后重新计时"),
        (State.CALLBACK_DONE, "工单即将办结"),
        (State.CLOSED, "如问题再次出现，请重新报修"),
        (State.CANCELLED, "如问题再次出现，请重新报修"),
    ],
)
def test_states_without_a_deadline_say_what_happens_next_without_a_date(state, words):
    result = status(state)
    assert words in result.next_step and result.due is None and not result.late
    assert result.meaning


def test_a_step_past_its_deadline_says_it_is_late():
    result = status(State.RECEIVED, accept_due=NOW - timedelta(minutes=5))
    assert result.late
    assert "这一步已超时，非常抱歉。如需催办，请拨打 96568。" in result.next_step


def test_the_page_shows_the_meaning_and_the_next_deadline_of_a_real_order(client, city, new_order):
    order = new_order()
    do_accept(order, city.sam)
    order.refresh_from_db()
    page = client.post("/track/", {"number": order.number, "last_four": "1234"}).content.decode()
    assert 'id="state-meaning"' in page and "网格服务专员已接单，正在前往查看。" in page
    expected = "前到场。" if order.arrive_due else "前处理完毕。"
    assert 'id="next-step"' in page and expected in page

    do_arrive(order, city.sam, "到场")
    do_resolve(order, city.sam, "已修好")
    order.refresh_from_db()
    page = client.post("/track/", {"number": order.number, "last_four": "1234"}).content.decode()
    assert "网格服务专员已处理完毕。" in page and "前回访您，确认问题是否解决。" in page
