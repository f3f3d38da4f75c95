"""A resident tracking a dispatched order on a 390-pixel phone reads what the state means and
when to expect the specialist; a late one says it is late and how to remind us. The
administrator's order page at 1366×768 labels every field in Chinese, and the order list's
count of a thousand and more is grouped in threes."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.desk.states import State
from tests.browser.conftest import ARTIFACTS, BROWSER_TEST, PHONE, TIMEOUT_MS

pytestmark = BROWSER_TEST


def track(browser, base_url: str, number: str, name: str) -> dict[str, str]:
    """Look the order up as a resident on a phone, keep the screenshot, return what it says."""
    cache.clear()  # no rate-limit counts left over from other lookups
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(base_url + "/track/")
        page.fill("input[name=number]", number)
        page.fill("input[name=last_four]", "1234")
        page.click("#show-state")
        page.wait_for_selector("#order-status")
        next_step = page.locator("#next-step")
        box = next_step.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], "no sideways scroll"
        seen = {
            "state": page.inner_text("#order-state"),
            "meaning": page.inner_text("#state-meaning"),
            "next_step": next_step.inner_text(),
            "next_step_class": next_step.get_attribute("class") or "",
        }
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert errors == []
        return seen
    finally:
        context.close()


def test_a_resident_reads_what_dispatched_means_and_when_the_specialist_comes(
    browser, live_server, city, new_order
):
    order = new_order()
    assert order.state == State.DISPATCHED
    on_time = track(browser, live_server.url, order.number, "resident-track-dispatched-phone")
    assert on_time["state"] == "已派单"
    assert on_time["meaning"], "the state is explained in words"
    due = order.arrive_due or order.accept_due
    assert f"{due.astimezone(timezone.get_current_timezone()):%H:%M} 前" in on_time["next_step"]
    assert "已超时" not in on_time["next_step"]
    assert "text-danger" not in on_time["next_step_class"]

    past = timezone.now() - timedelta(hours=1)
    WorkOrder.objects.filter(pk=order.pk).update(accept_due=past, arrive_due=past)
    late = track(browser, live_server.url, order.number, "resident-track-late-phone")
    assert "这一步已超时，非常抱歉。如需催办，请拨打" in late["next_step"]
    assert "text-danger" in late["next_step_class"]


def test_the_admin_order_page_speaks_chinese_and_groups_the_order_count(visit, city, new_order):
    order = new_order()
    WorkOrder.objects.bulk_create(
        WorkOrder(
            number=f"20261120{i:05d}",
            channel="hotline",
            category=city.leak,
            priority=city.leak.priority,
            community=city.xingguang,
            description="漏水",
            state=State.RECEIVED,
            received_at=order.received_at,
            unit=city.east,
        )
        for i in range(1233)
    )
    ada = visit("ada")
    page = ada.page
    ada.go("/admin/desk/workorder/")
    assert page.inner_text("#result-count") == "1,234"
    ada.shoot("admin-order-list-count-desktop")

    ada.go(f"/admin/desk/workorder/{order.pk}/change/")
    labels = " ".join(page.locator("#content label").all_inner_texts())
    text = page.inner_text("#content")
    for chinese in ("当前时限", "挂起前状态", "预警时间"):
        assert chinese in text
    for english in ("State before suspend", "Current due", "Warn at", "Paused at"):
        assert english not in text and english not in labels
    ada.shoot("admin-order-change-chinese-desktop")
