"""Issue 11, hotline agent, in a real browser: the caller comes first, an earlier order's
address fills the form, the category is picked by typing pinyin initials, the saved order
says what to tell the caller, and a repeat call on an open order is a reminder."""

import io

from django.utils import timezone
from PIL import Image

from mains.desk import actions
from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.states import Action
from tests.browser.conftest import BROWSER_TEST, DESKTOP, PHONE

pytestmark = BROWSER_TEST

CALLER = "13812341234"


def top(page, selector: str) -> float:
    return page.locator(selector).bounding_box()["y"]


def test_the_caller_comes_first_fills_the_form_and_hears_the_number_and_time(
    visit, city, new_order
):
    earlier = new_order(community=city.jinxiu, address="锦绣家园8号楼302", category=city.complaint)
    actions.do_cancel(earlier, city.dispatcher, "来电人已自行解决")
    still_open = new_order(category=city.burst, description="小区门口主管道冒水")
    agent = visit("anna")
    page = agent.page
    agent.go("/desk/intake/")

    page.locator("#id_caller_phone").press_sequentially(CALLER)
    page.locator("#caller-open-orders").wait_for()
    # The caller's history is above the fold and before the knowledge base.
    assert top(page, "#caller-card") < top(page, "#kb-card")
    box = page.locator("#caller-open-orders").bounding_box()
    assert box["y"] + box["height"] <= DESKTOP["height"], "the open orders are above the fold"
    assert still_open.number in page.inner_text("#caller-open-orders")
    assert earlier.number in page.inner_text("#caller-panel table")

    page.locator(f".address-pick[data-url$='/address/{earlier.pk}/']").click()
    page.wait_for_function("document.getElementById('id_address').value !== ''")
    assert page.input_value("#id_address") == "锦绣家园8号楼302"
    assert page.input_value("#id_community") == str(city.jinxiu.pk)
    assert page.input_value("#id_community_search") == "锦绣家园"
    assert page.evaluate("document.activeElement.id") == "category-search"

    page.locator("#category-search").press_sequentially("sb")
    first = page.locator("#category-results .category-pick").first
    assert first.inner_text().replace("\n", "") == "1水表或立管漏水"
    agent.shoot("13-intake-caller-first-category-pick")
    page.keyboard.press("1")
    assert page.input_value("#id_category") == str(city.leak.pk)
    assert page.evaluate("document.activeElement.id") == "id_description"
    page.fill("#id_description", "家里水表接口漏水")
    page.keyboard.press("Control+Enter")

    page.locator("#saved-order").wait_for()
    order = WorkOrder.objects.exclude(pk__in=[earlier.pk, still_open.pk]).get()
    assert (order.community, order.address, order.category) == (
        city.jinxiu,
        "锦绣家园8号楼302",
        city.leak,
    )
    assert page.inner_text("#told-number") == order.number
    on_site = timezone.localtime(order.arrive_due).strftime("%m-%d %H:%M")
    assert f"{on_site} 前到场" in page.inner_text("#told-promise")
    assert page.input_value("#id_caller_phone") == "", "the form is ready for the next call"
    assert page.evaluate("document.activeElement.id") == "id_caller_phone"
    agent.shoot("14-intake-tell-the-caller")

    # The same caller rings again about the burst: the agent reminds from the order page.
    page.locator("#id_caller_phone").press_sequentially(CALLER)
    page.locator(f".caller-open[data-id='{still_open.pk}'] .remind-link").click()
    page.wait_for_url(f"**/desk/orders/{still_open.pk}/?act=remind")
    page.locator("#act-remind textarea").fill("居民再次来电：门口仍在冒水")
    page.click("#do-remind")
    page.get_by_text(f"催办：工单 {still_open.number}").wait_for()
    event = OrderEvent.objects.get(order=still_open, action=Action.REMIND)
    assert (event.actor, event.note) == (city.agent, "居民再次来电：门口仍在冒水")
    assert WorkOrder.objects.get(pk=still_open.pk).reminder_count == 1
    agent.shoot("15-order-reminded-by-agent")


def test_on_a_phone_the_caller_panel_follows_the_number_and_the_last_community_fills_it(
    visit, city, new_order
):
    new_order()
    agent = visit("anna", phone=True)
    page = agent.page
    agent.go("/desk/intake/")
    page.locator("#id_caller_phone").press_sequentially(CALLER)
    page.locator("#caller-last-community").wait_for()
    assert top(page, "#caller-card") < top(page, "#id_community_search")
    assert top(page, "#caller-card") < PHONE["height"]
    page.locator("#caller-last-community .community-pick-link").click()
    assert page.input_value("#id_community") == str(city.xingguang.pk)
    page.fill("#id_address", "3号楼2单元501")
    page.locator("#category-search").press_sequentially("水表")
    page.keyboard.press("Enter")
    assert page.input_value("#id_category") == str(city.leak.pk)
    page.fill("#id_description", "水表漏水")
    agent.shoot("16-intake-caller-first-phone")
    page.click("#save-order")
    page.locator("#told-number").wait_for()
    assert page.inner_text("#told-number") == WorkOrder.objects.latest("pk").number
    agent.shoot("17-intake-tell-the-caller-phone")


def test_a_repeat_call_attached_from_the_caller_panel_takes_that_orders_community_and_category(
    visit, city, new_order
):
    still_open = new_order(category=city.burst)
    agent = visit("anna")
    page = agent.page
    agent.go(f"/desk/intake/?caller={CALLER}")
    page.locator(f".caller-open[data-id='{still_open.pk}'] .attach-to").click()
    assert still_open.number in page.inner_text("#attach-banner")
    assert page.input_value("#id_community") == str(city.xingguang.pk)
    assert page.input_value("#id_category") == str(city.burst.pk)
    assert page.input_value("#category-search") == "爆管/主管道漏水"
    page.fill("#id_description", "又打来了，门口还在冒水")
    page.keyboard.press("Control+Enter")
    page.get_by_text(f"来电已追加到工单 {still_open.number}").wait_for()
    assert WorkOrder.objects.count() == 1
    assert WorkOrder.objects.get(pk=still_open.pk).call_count == 2


def test_a_photo_chosen_before_an_error_is_named_so_the_agent_chooses_it_again(visit, city):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(buffer, format="PNG")
    agent = visit("anna")
    page = agent.page
    agent.go("/desk/intake/")
    page.fill("#id_caller_phone", "13912345678")
    page.locator("#id_community_search").press_sequentially("xgsjc")
    page.locator(f".community-pick[data-id='{city.xingguang.pk}']").click()
    page.fill("#id_address", "3号楼2单元501")
    photo = {"name": "水表.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    page.set_input_files("#id_files", files=[photo])
    page.keyboard.press("Control+Enter")  # neither category nor description
    page.locator("#files-again").wait_for()
    assert "水表.png" in page.inner_text("#files-again")
    assert "请重新选择" in page.inner_text("#files-again")
    assert page.input_value("#id_address") == "3号楼2单元501"
    assert page.input_value("#id_community_search") == "星光水晶城"
    assert not WorkOrder.objects.exists()
    agent.shoot("18-intake-photo-to-choose-again")
