"""Issue 11, callbacks, in a real browser: the agent finds the order in the queue by its
community's pinyin initials, answers 不满意 without a note and stays in the queue with the
choice kept and the error said, then writes the note and reads to whom the order went."""

import pytest

from mains.desk import actions
from mains.desk.models import WorkOrder
from mains.desk.states import State
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def resolved(order: WorkOrder, by) -> WorkOrder:
    actions.do_accept(order, by)
    actions.do_arrive(order, by)
    actions.do_resolve(order, by, "更换阀门，试压无渗漏")
    return WorkOrder.objects.get(pk=order.pk)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_an_agent_finds_the_order_records_unsatisfied_and_reads_where_it_went(
    visit, city, new_order, phone
):
    east = resolved(new_order(), city.sam)
    west = resolved(
        new_order(community=city.jinxiu, address="锦绣家园1号楼", caller_phone="13900002222"),
        city.tom,
    )
    size = "phone" if phone else "desktop"
    agent = visit("anna", phone=phone)
    page = agent.page
    agent.go("/desk/callbacks/")
    page.locator(f"#cb-{west.number}").wait_for()

    page.fill("#cb-q", "xgsjc")
    page.press("#cb-q", "Enter")
    row = page.locator(f"#cb-{east.number}")
    row.wait_for()
    assert page.locator(f"#cb-{west.number}").count() == 0
    assert page.input_value("#cb-q") == "xgsjc"
    agent.shoot(f"callback-queue-{size}-01-found")

    row.locator(f"label[for='cb-{east.number}-result-unsatisfied']").click()
    row.locator(f"#save-{east.number}").click()
    error = row.locator(".invalid-feedback")
    error.wait_for()
    assert "请记录居民不满意的原因" in error.inner_text()
    assert row.locator(f"#cb-{east.number}-result-unsatisfied").is_checked(), "the choice stays"
    assert "13812341234" in row.inner_text(), "the phone stays unmasked for the call"
    assert agent.path_matches(r"/desk/callbacks/\?.*q=xgsjc"), "the agent is still in the queue"
    agent.shoot(f"callback-queue-{size}-02-note-missing")
    assert WorkOrder.objects.get(pk=east.pk).state == State.RESOLVED

    row.locator(f"#cb-{east.number}-note").fill("居民反映仍有渗水")
    row.locator(f"#save-{east.number}").click()
    done = page.locator(f"#cb-done-{east.number}")
    done.wait_for()
    told = done.inner_text()
    assert f"工单 {east.number} 已重新打开" in told
    assert "孙明（东城供水服务站）" in told
    assert page.inner_text("#due-count") == "1", "the tab counts one fewer to call back"
    pills = page.locator("#due-pills")
    assert pills.count() == 1 and pills.locator(".nav-link").first.inner_text().endswith("0"), (
        "the pills of the search count the recorded order no more"
    )
    agent.shoot(f"callback-queue-{size}-03-reopened", None if phone else "callbacks-reopened.png")
    order = WorkOrder.objects.get(pk=east.pk)
    assert (order.state, order.redo_count) == (State.REOPENED, 1)

    # The same answers on the order page: four buttons of one line each, the note below.
    agent.go(f"/desk/orders/{west.pk}/?act=callback")
    answers = page.locator("#act-callback .callback-answers label")
    answers.first.wait_for()
    assert answers.count() == 4
    heights = [answers.nth(i).bounding_box()["height"] for i in range(4)]
    assert max(heights) < 48, f"an answer wraps: {heights}"
    note = page.locator("#order-callback-note").bounding_box()
    assert note["y"] > answers.first.bounding_box()["y"] + heights[0], "the note is below"
    agent.shoot(f"callback-queue-{size}-04-order-page-form")
