"""The story of issue 2, in a real browser: a hotline call becomes an order, the grid
specialist works it on a phone, the callback finds the resident unsatisfied, the order is
re-done, and the manager's KPI page counts it."""

import io

from django.utils import translation
from PIL import Image

from mains.desk.models import Satisfaction, WorkOrder
from mains.desk.states import State
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

CALLER = "13812341234"


def label(choice) -> str:
    """What the Chinese UI shows for a choice (the default language)."""
    with translation.override("zh-hans"):
        return str(choice.label)


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def take_the_call(agent, city, earlier: WorkOrder) -> WorkOrder:
    page = agent.page
    agent.go(f"/desk/intake/?caller={CALLER}")
    # The CTI pop: the caller's earlier order shows up without typing anything.
    page.locator("#caller-panel").get_by_text(earlier.number).wait_for()
    assert page.input_value("#id_caller_phone") == CALLER

    page.fill("#id_caller_name", "张三")
    page.locator("#id_community_search").press_sequentially("xgsjc")
    page.locator(f".community-pick[data-id='{city.xingguang.pk}']").wait_for()
    page.press("#id_community_search", "ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#id_community") == str(city.xingguang.pk)
    assert page.input_value("#id_community_search") == "星光水晶城"
    assert "孙明" in page.inner_text("#community-card")

    page.fill("#id_address", "3号楼2单元501")
    page.select_option("#id_category", str(city.leak.pk))
    page.fill("#id_description", "楼道水表漏水，地面已经积水")
    agent.shoot("01-intake", "intake.png")
    page.keyboard.press("Control+Enter")

    saved = page.locator("#saved-order")
    saved.wait_for()
    order = WorkOrder.objects.exclude(pk=earlier.pk).get(caller_phone=CALLER)
    assert order.community == city.xingguang
    assert order.category == city.leak
    assert order.specialist.user == city.sam
    assert order.number in saved.inner_text()
    assert "孙明" in saved.inner_text()
    agent.shoot("02-intake-saved")
    return order


def work_it_on_the_phone(specialist, order: WorkOrder) -> None:
    page = specialist.page
    assert specialist.path_matches(r"/desk/mine/$"), "a specialist lands on their own orders"
    card = page.locator(f"#order-{order.number}")
    card.wait_for()
    assert "星光水晶城" in card.inner_text(), "the card names the community, not just the room"
    specialist.shoot("03-specialist-list-mobile", "specialist.png")

    page.tap(f"#accept-{order.number}")
    page.tap(f"#arrive-{order.number}")
    page.tap(f"#resolve-{order.number}")
    page.wait_for_url(f"**/desk/orders/{order.pk}/?act=resolve*")
    page.locator("#act-resolve.show").wait_for()
    page.fill("#id_resolve-note", "更换水表前阀门，试压无渗漏")
    page.set_input_files(
        "#id_resolve-files",
        files=[{"name": "valve.png", "mimeType": "image/png", "buffer": small_png()}],
    )
    specialist.shoot("04-resolve-form-mobile")
    page.tap("#do-resolve")
    page.locator("img[alt='valve.png']").wait_for()
    # The photo loads through the order's access-checked file view, not an open /media/.
    page.wait_for_function(
        "() => { const img = document.querySelector(\"img[alt='valve.png']\");"
        " return img.complete && img.naturalWidth > 0"
        " && new URL(img.src).pathname.startsWith('/desk/orders/'); }"
    )
    assert page.inner_text("#order-state") == label(State.RESOLVED)

    order.refresh_from_db()
    assert order.state == State.RESOLVED
    assert order.resolution == "更换水表前阀门，试压无渗漏"
    assert order.attachments.filter(name="valve.png").exists()


def call_back_unsatisfied(agent, order: WorkOrder) -> None:
    page = agent.page
    agent.go("/desk/callbacks/")
    row = page.locator(f"#cb-{order.number}")
    row.get_by_text(label(Satisfaction.UNSATISFIED), exact=True).click()
    assert row.locator("input[name='callback-result'][value='unsatisfied']").is_checked()
    row.locator("textarea[name='callback-note']").fill("居民反映仍有渗水")
    agent.shoot("05-callbacks", "callbacks.png")
    row.locator("button").click()
    # The row turns into a line saying where the order went, without leaving the queue.
    assert "孙明" in page.locator(f"#cb-done-{order.number}").inner_text()
    assert page.locator(f"#cb-{order.number}").count() == 0

    agent.go(f"/desk/orders/{order.pk}/")
    assert page.inner_text("#order-state") == label(State.REOPENED)
    assert "1" in page.inner_text("#redo-count")
    agent.shoot("06-order-reopened")
    order.refresh_from_db()
    assert order.state == State.REOPENED
    assert order.redo_count == 1


def read_the_kpis(manager) -> None:
    page = manager.page
    assert manager.path_matches(r"/desk/kpis/"), "a manager lands on the KPI page"
    # In a month's first week the page opens on the last complete month: ask for this one.
    manager.go("/desk/kpis/?period=this_month")
    summary = page.locator("#kpi-summary")
    summary.wait_for()
    # This month: the earlier complaint and the re-done leak.
    assert summary.locator(".fs-4").first.inner_text().strip() == "2"
    # The re-do rate, last of the cards: the one order resolved so far had to be re-done.
    assert summary.locator(".fs-4").last.inner_text().strip() == "100.0%"
    east = page.locator("#kpi-table tbody tr", has_text="东城供水服务站")
    assert east.locator("td").first.inner_text().strip() == "2"
    page.locator("#chart-orders canvas").wait_for()
    manager.shoot("08-kpis", "kpis.png")


def test_a_hotline_call_is_worked_on_a_phone_called_back_and_re_done(visit, city, new_order):
    earlier = new_order(category=city.complaint, description="营业厅排队时间太长")
    agent = visit("anna")
    order = take_the_call(agent, city, earlier)

    work_it_on_the_phone(visit("sam", phone=True), order)
    call_back_unsatisfied(agent, order)
    read_the_kpis(visit("max"))
