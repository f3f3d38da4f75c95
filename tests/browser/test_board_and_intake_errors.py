"""The dispatcher's board at desk size, and an intake that fails without losing a word."""

from datetime import timedelta

from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.kb.models import Article
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def test_the_board_lists_overdue_orders_first_in_red(visit, city, new_order):
    on_time = new_order()
    late = new_order(community=city.jinxiu, description="小区整栋无水")
    # Both dispatched and neither tier 1: the board then goes by SLA colour.
    warned = new_order(category=city.complaint, description="维修人员态度差")
    # What the SLA clock would have marked by now.
    WorkOrder.objects.filter(pk=late.pk).update(
        current_due=timezone.now() - timedelta(minutes=90), sla_level="red"
    )
    WorkOrder.objects.filter(pk=warned.pk).update(
        current_due=timezone.now() + timedelta(minutes=1), sla_level="yellow"
    )
    dispatcher = visit("dora")
    assert dispatcher.path_matches(r"/desk/board/$"), "a dispatcher lands on the board"
    rows = dispatcher.page.locator("#board tbody tr")
    rows.first.wait_for()
    assert late.number in rows.nth(0).inner_text()
    assert rows.nth(0).locator(".sla-dot.sla-red").count() == 1
    assert warned.number in rows.nth(1).inner_text()
    assert rows.nth(1).locator(".sla-dot.sla-yellow").count() == 1
    assert on_time.number in rows.nth(2).inner_text()
    assert rows.nth(2).locator(".sla-dot.sla-green").count() == 1
    dispatcher.shoot("07-board", "board.png")


def test_a_failed_intake_save_keeps_everything_typed(visit, city):
    agent = visit("anna")
    page = agent.page
    agent.go("/desk/intake/")
    page.fill("#id_caller_phone", "13912345678")
    page.fill("#id_caller_name", "李四")
    page.locator("#id_community_search").press_sequentially("jinxiu")
    page.locator(f".community-pick[data-id='{city.jinxiu.pk}']").click()
    page.fill("#id_address", "7号楼3单元301")
    page.fill("#id_description", "家里水龙头出水很小")
    page.keyboard.press("Control+Enter")  # no category chosen

    page.locator("#id_category.is-invalid").wait_for()
    assert page.evaluate("document.activeElement.id") == "id_category"
    assert page.input_value("#id_caller_phone") == "13912345678"
    assert page.input_value("#id_caller_name") == "李四"
    assert page.input_value("#id_community_search") == "锦绣家园"
    assert page.input_value("#id_community") == str(city.jinxiu.pk)
    assert page.input_value("#id_address") == "7号楼3单元301"
    assert page.input_value("#id_description") == "家里水龙头出水很小"
    assert not WorkOrder.objects.exists()
    agent.shoot("09-intake-error")


def test_enter_in_the_knowledge_base_search_searches_and_saves_nothing(visit, city):
    # Browser tests run on a flushed database: the default articles are not there.
    Article.objects.get_or_create(
        title="水的硬度与水垢",
        defaults={
            "topic": Article.Topic.WATER_QUALITY,
            "keywords": "水垢 硬度",
            "body": "水垢是钙镁盐。",
        },
    )
    agent = visit("anna")
    page = agent.page
    agent.go("/desk/intake/")
    page.fill("#id_caller_phone", "13912345678")
    page.select_option("#id_category", str(city.complaint.pk))
    page.fill("#id_description", "烧水有水垢")
    page.fill("#kb-q", "水垢")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#kb-q").press("Enter")
    page.locator("#kb-results", has_text="水的硬度与水垢").wait_for()
    assert page.evaluate("window.stillTheSamePage === true"), "Enter submitted the intake form"
    assert page.input_value("#id_description") == "烧水有水垢"
    assert not WorkOrder.objects.exists()
