"""The board puts what needs a person first, brings new orders by itself, and fits a phone."""

from datetime import timedelta

from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.desk.states import State
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def shape(order: WorkOrder, state: str, sla: str, due_minutes: int) -> WorkOrder:
    WorkOrder.objects.filter(pk=order.pk).update(
        state=state, sla_level=sla, current_due=timezone.now() + timedelta(minutes=due_minutes)
    )
    return order


HIDE_THE_TAB = """
Object.defineProperty(document, "visibilityState", {get: () => "hidden", configurable: true});
document.dispatchEvent(new Event("visibilitychange"));
"""
SHOW_THE_TAB = """
Object.defineProperty(document, "visibilityState", {get: () => "visible", configurable: true});
document.dispatchEvent(new Event("visibilitychange"));
"""


def a_busy_morning(city, new_order, count: int = 8) -> WorkOrder:
    """Orders being worked on, some late, and one burst nobody was sent to yet."""
    for i in range(count):
        community = city.jinxiu if i % 2 else city.xingguang
        sla, due = [("red", -30 - i), ("yellow", 5 + i), ("green", 60 + i)][i % 3]
        shape(new_order(community=community, description=f"漏水 {i}"), State.ACCEPTED, sla, due)
    waiting = new_order(category=city.burst, description="现场漏水严重")
    return shape(waiting, State.RECEIVED, "green", 20)


def test_the_undispatched_burst_comes_first_and_a_new_order_appears_with_a_flash(
    visit, city, new_order, settings
):
    settings.BOARD_POLL_SECONDS = 1
    waiting = a_busy_morning(city, new_order)
    dispatcher = visit("dora")
    page = dispatcher.page
    first = page.locator("#board tbody tr").first
    assert waiting.number in first.inner_text()
    assert first.locator("[data-dispatch]").count() == 1, "the first row offers to dispatch"
    counts = page.locator("#board-counts")
    assert counts.locator("[data-group=undispatched] .badge").inner_text() == "1"
    assert counts.locator("[data-group=red] .badge").inner_text() == "3"
    page.locator("#board-sound").click()
    assert page.locator("#board-sound").get_attribute("aria-pressed") == "true"

    arrived = new_order(category=city.burst, description="路口主管道爆裂")
    page.locator("#board-flash .alert").wait_for()
    assert "新到 1 张工单" in page.locator("#board-flash").inner_text()
    fresh = page.locator("#board tbody tr.board-new")
    assert fresh.count() == 1 and arrived.number in fresh.inner_text()
    assert page.evaluate("document.body.dataset.boardArrivals") == "1"
    assert counts.locator("[data-group=undispatched] .badge").inner_text() == "1", (
        "the new burst was dispatched at once: it counts as tier 1, not as waiting"
    )
    assert counts.locator("[data-group=urgent] .badge").inner_text() == "2"
    dispatcher.shoot("11-board-priority-new-arrival")
    second = new_order(description="水表井冒水")
    page.locator(f"#board tbody tr.board-new:has-text('{second.number}')").wait_for()
    assert page.locator("#board tbody tr.board-new").count() == 1, "only the newest is new"

    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/board/poll/" in r.url else None)
    page.evaluate(HIDE_THE_TAB)
    page.wait_for_timeout(2500)
    assert polls == [], "a hidden tab does not poll"
    with page.expect_request(lambda r: "/board/poll/" in r.url):
        page.evaluate(SHOW_THE_TAB)  # and back in view it asks at once
    page.reload()
    assert page.locator("#board-sound").get_attribute("aria-pressed") == "true", (
        "the sound choice is remembered"
    )


def assert_cards(page, table: str) -> None:
    """Each row is a card, two fields a line: no cell squeezed to a character's width."""
    rows = page.locator(f"{table} tbody tr")
    assert rows.count() > 0
    width = page.viewport_size["width"]
    compact = "cards-compact" in (page.locator(table).get_attribute("class") or "")
    for i in range(min(rows.count(), 3)):
        for cell in rows.nth(i).locator("td[data-label]:visible").all():
            box = cell.bounding_box()
            if compact:  # the cells flow side by side: none wraps to a column of characters
                assert box["height"] < 45, f"{table}: a cell {box['height']} px high"
            else:
                assert box["width"] > width * 0.35, f"{table}: a cell {box['width']} px wide"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"


def test_on_a_phone_the_board_and_the_order_list_are_cards_and_a_unit_manager_sees_their_unit(
    visit, city, new_order
):
    waiting = a_busy_morning(city, new_order, count=10)
    dispatcher = visit("dora", phone=True)
    page = dispatcher.page
    assert_cards(page, "#board")
    assert waiting.number in page.locator("#board tbody tr").first.inner_text()
    dispatcher.shoot("11-board-phone")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 11 * 170, f"eleven orders take {height} px"
    dispatcher.go("/desk/orders/")
    assert_cards(page, "#order-list")
    dispatcher.shoot("11-order-list-phone")

    manager = visit("una", phone=True)
    page = manager.page
    assert manager.path_matches(r"/desk/board/$")
    assert page.locator("h1").inner_text().startswith("东城供水服务站工单看板")
    assert page.locator("select[name=unit]").count() == 0
    assert page.locator("#board [data-dispatch]").count() == 0
    shown = page.locator("#board tbody tr")
    east = WorkOrder.objects.filter(unit=city.east, state__in=[State.RECEIVED, State.ACCEPTED])
    assert shown.count() == east.count() > 0
    assert waiting.number in shown.first.inner_text()
    assert_cards(page, "#board")
    manager.shoot("11-unit-manager-board-phone")


def test_on_a_phone_a_full_board_page_of_fifty_orders_stays_compact(visit, city, new_order):
    waiting = a_busy_morning(city, new_order, count=52)
    dispatcher = visit("dora", phone=True)
    page = dispatcher.page
    rows = page.locator("#board tbody tr")
    assert rows.count() == 50
    first = rows.first
    assert waiting.number in first.inner_text()
    assert first.locator("[data-dispatch]").is_visible(), "the dispatch button stays"
    assert first.locator(".sla-dot").is_visible(), "and the SLA colour"
    for label in ("状态", "类别", "小区"):
        assert first.locator(f"td[data-label='{label}']").is_visible(), label
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"fifty orders on a phone: {height} px")
    assert height < 4000, f"fifty orders take {height} px"
    dispatcher.shoot("11-board-phone-fifty")
