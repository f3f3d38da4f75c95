"""The callback queue: finding the order to call back, recording the answer from its row."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mains.desk import actions
from mains.desk.models import Satisfaction, WorkOrder
from mains.desk.states import State
from mains.org.models import AccessLog

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUE = "/desk/callbacks/"
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


def resolve(order: WorkOrder, by) -> WorkOrder:
    actions.do_accept(order, by)
    actions.do_arrive(order, by)
    actions.do_resolve(order, by, "更换阀门，试压无渗漏")
    return fresh(order)


@pytest.fixture
def resolved(city, new_order):
    """resolved(**fields) → an order sam resolved (or tom, for a community of the west)."""

    def make(**overrides):
        order = new_order(**overrides)
        worker = city.tom if order.community == city.jinxiu else city.sam
        return resolve(order, worker)

    return make


@pytest.fixture
def agent(client, city):
    client.force_login(city.agent)
    return client


def listed(client, **params) -> str:
    return client.get(QUEUE, params, **EN).content.decode()


def record(client, order, data, query="", **extra):
    payload = {"version": order.version, **data}
    return client.post(f"{QUEUE}{order.pk}/{query}", payload, **EN, **extra)


def test_the_queue_finds_an_order_by_the_start_or_the_end_of_its_number(agent, resolved):
    wanted, other = resolved(), resolved(caller_phone="13900005555")
    assert wanted.number[:8] == other.number[:8]  # the same day: the start matches both
    page = listed(agent, q=wanted.number[-5:])
    assert wanted.number in page and other.number not in page
    page = listed(agent, q=wanted.number[:8])
    assert wanted.number in page and other.number in page


def test_fewer_than_four_digits_find_nothing_rather_than_everything(agent, resolved):
    order = resolved()
    page = listed(agent, q=order.number[-3:])
    assert order.number not in page
    assert "No order matches" in page


def test_the_queue_finds_an_order_by_the_full_phone_or_its_last_four_digits(agent, resolved):
    wanted, other = resolved(caller_phone="13812345678"), resolved(caller_phone="13900001111")
    for typed in ("138 1234 5678", "5678", "+8613812345678"):
        page = listed(agent, q=typed)
        assert wanted.number in page and other.number not in page, typed


def test_the_queue_finds_a_community_by_name_pinyin_initials_or_full_pinyin(agent, city, resolved):
    east = resolved()
    west = resolved(community=city.jinxiu, address="锦绣家园1号楼", caller_phone="13900002222")
    for typed in ("星光", "xgsjc", "xingguang", "XingGuang ShuiJing"):
        page = listed(agent, q=typed)
        assert east.number in page and west.number not in page, typed
    assert west.number in listed(agent, q="jxjy")


def test_the_queue_filters_by_unit(agent, city, resolved):
    east = resolved()
    west = resolved(community=city.jinxiu, address="锦绣家园1号楼", caller_phone="13900002222")
    page = listed(agent, unit=city.west.pk)
    assert west.number in page and east.number not in page
    assert f'<option value="{city.west.pk}" selected>' in page
    assert east.number in listed(agent, unit="not-a-number")


def test_due_pills_count_each_window_and_filter_by_it(agent, resolved):
    with time_machine.travel(NOON, tick=False):
        late, today, later = resolved(), resolved(), resolved()
        for order, due in ((late, NOON - timedelta(hours=1)), (today, NOON + timedelta(hours=3))):
            WorkOrder.objects.filter(pk=order.pk).update(current_due=due, callback_due=due)
        tomorrow = NOON + timedelta(days=1)
        WorkOrder.objects.filter(pk=later.pk).update(current_due=tomorrow, callback_due=tomorrow)
        page = listed(agent)
        for name, count in (("overdue", 1), ("today", 1), ("later", 1)):
            pill = page.split(f'id="due-{name}"')[1].split("</a>")[0]
            assert f">{count}</span>" in pill, name
        expected = {"overdue": late, "today": today, "later": later}
        for name, order in expected.items():
            page = listed(agent, due=name)
            assert [o.number for o in expected.values() if o.number in page] == [order.number]


def test_the_pills_count_what_the_search_found(agent, resolved):
    with time_machine.travel(NOON, tick=False):
        wanted, _other = resolved(caller_phone="13812345678"), resolved(caller_phone="13900001111")
        WorkOrder.objects.filter(pk=wanted.pk).update(current_due=NOON - timedelta(hours=1))
        page = listed(agent, q="5678")
        pill = page.split('id="due-overdue"')[1].split("</a>")[0]
        assert ">1</span>" in pill
        assert "q=5678" in pill, "a pill keeps the search"


def test_unsatisfied_without_a_note_re_shows_the_row_with_choice_note_and_phone(agent, resolved):
    order = resolved()
    data = {"callback-result": "unsatisfied", "callback-note": "  "}
    response = record(agent, order, data, query="?q=1234")
    assert response.status_code == 400
    page = response.content.decode()
    row = page.split(f'id="cb-{order.number}"')[1].split("</tr>")[0]
    assert "Write down why the resident is unsatisfied" in row
    assert 'value="unsatisfied" autocomplete="off" required checked' in row
    assert "13812341234" in row, "the agent calling back needs the full number"
    assert "?q=1234" in row, "the form keeps the queue's search"
    assert 'value="1234"' in page, "the search box too"
    assert fresh(order).state == State.RESOLVED
    assert AccessLog.objects.filter(
        subject=f"order:{order.pk}", purpose=AccessLog.Purpose.CALLBACK
    ).exists()


def test_the_note_typed_comes_back_with_the_error(agent, resolved):
    order = resolved()
    response = record(agent, order, {"callback-note": "居民说还在漏"})
    assert response.status_code == 400
    row = response.content.decode().split(f'id="cb-{order.number}"')[1].split("</tr>")[0]
    assert "Choose how the resident judged the service." in row
    assert ">居民说还在漏</textarea>" in row


def test_with_htmx_the_row_alone_comes_back_with_its_error(agent, resolved):
    order = resolved()
    response = record(agent, order, {"callback-result": "unsatisfied"}, **HTMX)
    assert response.status_code == 200  # htmx swaps only a success
    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="cb-{order.number}"')
    assert "<html" not in page
    assert "Write down why the resident is unsatisfied" in page
    assert "checked" in page.split('value="unsatisfied"')[1].split(">")[0]
    assert "13812341234" in page
    assert AccessLog.objects.filter(subject=f"order:{order.pk}").exists()


def test_with_htmx_a_recorded_callback_replaces_the_row_by_a_done_line(agent, resolved):
    order, _other = resolved(), resolved(caller_phone="13900001111")
    response = record(agent, order, {"callback-result": "satisfied"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="cb-done-{order.number}"')
    assert f"Callback recorded for order {order.number}: Satisfied." in page
    assert 'id="due-count" hx-swap-oob="true">1</span>' in page, "one of two left to call back"
    assert (fresh(order).state, fresh(order).satisfaction) == (State.CALLBACK_DONE, "satisfied")


def test_with_htmx_a_recorded_callback_also_recounts_the_due_pills_of_the_search(agent, resolved):
    with time_machine.travel(NOON, tick=False):
        late = resolved(caller_phone="13812345678")
        also_late, today = resolved(caller_phone="13812345678"), resolved()
        other = resolved(caller_phone="13900001111")
        for order, due in (
            (late, NOON - timedelta(hours=1)),
            (also_late, NOON - timedelta(hours=2)),
            (today, NOON + timedelta(hours=3)),
            (other, NOON - timedelta(hours=3)),
        ):
            WorkOrder.objects.filter(pk=order.pk).update(current_due=due, callback_due=due)
        before = listed(agent, q="5678", due="overdue")
        assert ">2</span>" in before.split('id="due-overdue"')[1].split("</a>")[0]
        data = {"callback-result": "satisfied"}
        response = record(agent, fresh(late), data, query="?q=5678&due=overdue", **HTMX)
    page = response.content.decode()
    pills = page.split('<ul class="nav nav-pills small mb-2 gap-1" id="due-pills"')[1]
    assert pills.startswith(' hx-swap-oob="true"'), "the pills are swapped out of band"
    pills = pills.split("</ul>")[0]
    overdue = pills.split('id="due-overdue"')[1].split("</a>")[0]
    assert ">1</span>" in overdue, "one of the two overdue the search found is left"
    assert "active" in pills.split('id="due-overdue"')[0].rsplit("<a", 1)[1], "still chosen"
    assert "q=5678" in overdue, "the pills keep the search"
    assert ">0</span>" in pills.split('id="due-today"')[1].split("</a>")[0]
    assert 'id="due-count" hx-swap-oob="true">3</span>' in page, "the tab counts all three left"


def test_after_unsatisfied_the_queue_says_the_order_went_back_to_its_specialist(agent, resolved):
    order = resolved()
    data = {"callback-result": "unsatisfied", "callback-note": "居民反映仍有渗水"}
    page = record(agent, order, data, **HTMX).content.decode()
    assert (
        f"Order {order.number} was reopened and sent back to 孙明 (东城供水服务站) to be re-done."
        in page
    )
    assert fresh(order).state == State.REOPENED


def test_a_plain_post_comes_back_to_the_queue_with_its_filters_and_the_message(
    agent, city, resolved
):
    order = resolved()
    data = {"callback-result": "unsatisfied", "callback-note": "仍有渗水"}
    response = record(agent, order, data, query=f"?unit={city.east.pk}&q=xgsjc")
    assert (response.status_code, response.url) == (302, f"{QUEUE}?unit={city.east.pk}&q=xgsjc")
    page = agent.get(response.url, **EN).content.decode()
    assert "sent back to 孙明 (东城供水服务站)" in page


def test_an_answered_directly_order_goes_to_its_grids_specialist(agent, city):
    order = actions.do_answer_directly(
        by=city.agent,
        category=city.complaint,
        description="咨询水费",
        answer="已告知缴费方式",
        community=city.xingguang,
        caller_phone="13812340000",
    )
    data = {"callback-result": "unsatisfied", "callback-note": "不认可答复"}
    page = record(agent, order, data, **HTMX).content.decode()
    assert "sent back to 孙明 (东城供水服务站)" in page


def test_an_order_nobody_works_goes_to_the_dispatch_board(agent, city):
    order = actions.do_answer_directly(
        by=city.agent,
        category=city.complaint,
        description="咨询水费",
        answer="已告知缴费方式",
        caller_phone="13812340000",
    )
    data = {"callback-result": "unsatisfied", "callback-note": "不认可答复"}
    page = record(agent, order, data, **HTMX).content.decode()
    assert "it has no specialist, so it went to the dispatch board" in page


def test_the_re_do_that_escalates_says_so(agent, city, resolved, settings):
    settings.REDO_ESCALATION_THRESHOLD = 1
    order = resolved()
    data = {"callback-result": "unsatisfied", "callback-note": "第三次仍漏"}
    page = record(agent, order, data, **HTMX).content.decode()
    assert "It is escalated to management (re-done 1 times)." in page
    assert fresh(order).escalated


def test_the_order_page_says_to_whom_the_reopened_order_went(agent, resolved):
    order = resolved()
    data = {
        "version": order.version,
        "callback-result": "unsatisfied",
        "callback-note": "仍有渗水",
    }
    response = agent.post(f"/desk/orders/{order.pk}/do/callback/", data, follow=True, **EN)
    assert "was reopened and sent back to 孙明 (东城供水服务站)" in response.content.decode()


def test_the_order_page_keeps_the_answer_chosen_when_the_note_is_missing(agent, resolved):
    order = resolved()
    data = {"version": order.version, "callback-result": "unsatisfied"}
    response = agent.post(f"/desk/orders/{order.pk}/do/callback/", data, **EN)
    assert response.status_code == 400
    form = response.content.decode().split('id="act-callback"')[1].split("</form>")[0]
    assert 'id="order-callback-result-unsatisfied" value="unsatisfied" autocomplete="off"' in form
    assert "required checked" in form.split('value="unsatisfied"')[1].split(">")[0]
    assert "Write down why the resident is unsatisfied" in form


def test_a_row_sent_back_from_the_archive_tab_still_shows_its_form(agent, resolved):
    order = resolved()
    response = record(agent, order, {"callback-result": "unsatisfied"}, query="?tab=archive")
    row = response.content.decode().split(f'id="cb-{order.number}"')[1].split("</tr>")[0]
    assert 'name="callback-result"' in row


def test_the_order_page_offers_the_answers_as_one_button_group(agent, resolved):
    order = resolved()
    page = agent.get(f"/desk/orders/{order.pk}/", **EN).content.decode()
    form = page.split('id="act-callback"')[1].split("</form>")[0]
    assert form.count('class="btn-check"') == len(Satisfaction.choices)
    assert 'for="order-callback-result-unsatisfied"' in form
    assert '<textarea class="form-control form-control-sm" name="callback-note"' in form


def test_a_callback_recorded_meanwhile_by_someone_else_is_said_plainly(agent, city, resolved):
    order = resolved()
    actions.do_callback(fresh(order), city.dispatcher, Satisfaction.SATISFIED)
    response = record(agent, order, {"callback-result": "fairly"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this order a moment ago." in page
    assert "nothing to call back" in page
    assert "13812341234" not in page, "no longer in the queue: the number is masked again"
    assert fresh(order).satisfaction == "satisfied"


def test_the_row_of_an_order_the_agent_cannot_see_is_404(client, city, resolved):
    order = resolved()
    client.force_login(city.sam)  # not a callback role
    assert record(client, order, {"callback-result": "satisfied"}).status_code == 403
    client.force_login(city.agent)
    response = client.post(f"{QUEUE}99999999/", {"callback-result": "satisfied"})
    assert response.status_code == 404


def test_the_queue_costs_the_same_queries_for_more_orders(agent, city, resolved):
    for i in range(3):
        resolved(caller_phone=f"1381234{i:04d}")
    agent.get(QUEUE)  # warm the session and the content types
    params = {"q": "xgsjc", "unit": city.east.pk}
    with CaptureQueriesContext(connection) as few:
        agent.get(QUEUE, params)
    for i in range(30):
        resolved(caller_phone=f"1391234{i:04d}")
    with CaptureQueriesContext(connection) as many:
        page = agent.get(QUEUE, params, **EN).content.decode()
    assert len(many) == len(few)
    assert page.count('class="callback-row') == 30, "paged at 30"
    assert "Page 1 of 2" in page
