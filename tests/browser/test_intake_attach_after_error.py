"""Issue 10, item 10, in a real browser: an agent attaches a call to an open order, the
save fails on a typo, and the page still says what the next save will do."""

from django.utils import translation

from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.states import Action
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def attach_then_fail(agent, city, open_order: WorkOrder) -> None:
    """Pick the open order from the hints, then save with a phone number that is too short."""
    page = agent.page
    agent.go("/desk/intake/")
    page.fill("#id_caller_phone", "1391234567")  # one digit short
    page.fill("#id_caller_name", "李四")
    page.locator("#id_community_search").press_sequentially("xingguang")
    page.locator(f".community-pick[data-id='{city.xingguang.pk}']").click()
    page.fill("#id_address", "3号楼2单元502")
    page.select_option("#id_category", str(city.leak.pk))
    page.fill("#id_description", "楼道里水表一直在漏")
    hint = page.locator(f".attach-to[data-id='{open_order.pk}']")
    hint.click()
    assert open_order.number in page.inner_text("#attach-banner")
    assert page.inner_text("#save-order").strip() == f"追加来电到工单 {open_order.number}"
    page.click("#attach-cancel")  # the agent may change their mind, and the page follows
    assert not page.is_visible("#attach-banner")
    assert page.input_value("#id_attach_to") == ""
    assert page.inner_text("#save-order").strip() == "保存工单"
    hint.click()
    page.keyboard.press("Control+Enter")
    page.locator("#id_caller_phone.is-invalid").wait_for()


def test_after_an_error_the_page_says_the_call_will_be_attached_and_it_is(visit, city, new_order):
    open_order = new_order()
    agent = visit("anna")
    page = agent.page
    attach_then_fail(agent, city, open_order)

    assert page.is_visible("#attach-banner"), "the server re-renders the attach mode"
    assert open_order.number in page.inner_text("#attach-banner")
    assert page.input_value("#id_attach_to") == str(open_order.pk)
    assert page.inner_text("#save-order").strip() == f"追加来电到工单 {open_order.number}"
    agent.shoot("10-intake-attach-after-error")

    page.fill("#id_caller_phone", "13912345678")
    page.keyboard.press("Control+Enter")
    page.get_by_text(f"来电已追加到工单 {open_order.number}").wait_for()
    assert WorkOrder.objects.count() == 1
    assert WorkOrder.objects.get(pk=open_order.pk).call_count == 2
    event = OrderEvent.objects.get(order=open_order, action=Action.EXTRA_CALL)
    assert (event.note, event.data["caller_phone"]) == ("楼道里水表一直在漏", "13912345678")


def test_changing_the_category_after_the_error_drops_the_attachment_and_saves_a_new_order(
    visit, city, new_order
):
    open_order = new_order()
    agent = visit("anna")
    page = agent.page
    attach_then_fail(agent, city, open_order)

    page.fill("#id_caller_phone", "13912345678")
    page.select_option("#id_category", str(city.complaint.pk))
    dropped = page.locator("#attach-dropped")
    dropped.wait_for()
    assert open_order.number in dropped.inner_text()
    assert "保存将新建工单" in dropped.inner_text()
    assert not page.is_visible("#attach-banner")
    assert page.input_value("#id_attach_to") == ""
    assert page.inner_text("#save-order").strip() == zh("Save order") == "保存工单"
    agent.shoot("11-intake-attach-dropped")

    page.keyboard.press("Control+Enter")
    saved = page.locator("#saved-order")
    saved.wait_for()
    new = WorkOrder.objects.exclude(pk=open_order.pk).get()
    assert new.number in saved.inner_text()
    assert (new.category, new.community, new.caller_phone) == (
        city.complaint,
        city.xingguang,
        "13912345678",
    )
    assert (new.caller_name, new.address, new.description) == (
        "李四",
        "3号楼2单元502",
        "楼道里水表一直在漏",
    )
    assert WorkOrder.objects.get(pk=open_order.pk).call_count == 1
    assert not OrderEvent.objects.filter(action=Action.EXTRA_CALL).exists()
    agent.shoot("12-intake-new-order-after-drop")
