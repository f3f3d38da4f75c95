"""An outage in a real browser: a caller from the affected community is attached to the
outage instead of a new order, and is told when the dispatcher ends it."""

from datetime import timedelta

from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.notify.events import Event
from mains.notify.models import Message, Template
from mains.outages.actions import do_announce_outage
from mains.outages.models import Outage, OutageCaller
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

CALLER = "13812341234"


def test_a_caller_is_attached_to_the_outage_and_told_when_it_ends(visit, city):
    Template.objects.get_or_create(
        event=Event.OUTAGE_ENDED,
        channel="sms",
        defaults={"body": "{{ communities }}已恢复{{ utility }}，感谢您的耐心。"},
    )
    now = timezone.now()
    outage = do_announce_outage(
        by=city.dispatcher,
        kind="emergency",
        utility="water",
        communities=[city.xingguang],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=4),
        reason="东昌路主管道爆管抢修",
    )

    agent = visit("anna")
    page = agent.page
    agent.go("/desk/intake/")
    page.fill("#id_caller_phone", CALLER)
    page.fill("#id_caller_name", "张三")
    page.locator("#id_community_search").press_sequentially("xgsjc")
    page.locator(f".community-pick[data-id='{city.xingguang.pk}']").click()
    shown = page.locator(f"#intake-outage-{outage.pk}")
    shown.wait_for()
    assert "东昌路主管道爆管抢修" in shown.inner_text()
    agent.shoot("20-intake-outage", "intake-outage.png")

    shown.locator(".attach-outage").click()
    page.locator("#outage-attached").wait_for()
    assert "138****1234" in page.inner_text("#outage-attached")
    caller = OutageCaller.objects.get(outage=outage)
    assert (caller.phone, caller.name, caller.attached_by) == (CALLER, "张三", city.agent)
    assert not WorkOrder.objects.exists(), "an attached call dispatches nothing"

    dispatcher = visit("dora")
    dispatcher.go(f"/outages/{outage.pk}/")
    assert "138****1234" in dispatcher.page.inner_text("#outage-callers")
    dispatcher.page.click("#end-outage")
    dispatcher.page.locator("#end-outage").wait_for(state="detached")  # the page reloaded
    dispatcher.shoot("21-outage-ended")
    outage.refresh_from_db()
    assert outage.status == Outage.Status.ENDED
    told = Message.objects.get(event=Event.OUTAGE_ENDED, recipient=CALLER)
    assert told.related == f"outage:{outage.pk}"
    assert "星光水晶城" in told.body


def test_a_dispatcher_announces_an_outage_by_searching_a_community(visit, city):
    dispatcher = visit("dora")
    page = dispatcher.page
    dispatcher.go("/outages/")
    page.click("#new-outage")
    page.select_option("#id_kind", "planned")
    soon = timezone.localtime(timezone.now() + timedelta(hours=3))
    page.fill("#id_starts_at", f"{soon:%Y-%m-%dT%H:%M}")
    page.fill("#id_ends_at", f"{soon + timedelta(hours=6):%Y-%m-%dT%H:%M}")
    page.fill("#id_reason", "西湖路阀门更换，计划停水")
    page.locator("#outage-community-search").press_sequentially("jinxiu")
    page.locator(f".outage-pick[data-id='{city.jinxiu.pk}']").wait_for()
    page.press("#outage-community-search", "Enter")  # adds the first match, submits nothing
    assert "锦绣家园" in page.inner_text("#picked-communities")
    dispatcher.shoot("22-outage-form")
    page.click("#save-outage")
    page.locator("#outage-status").wait_for()
    outage = Outage.objects.get()
    assert list(outage.communities.all()) == [city.jinxiu]
    assert outage.kind == "planned"
    assert page.locator(".alert-warning").count() == 1, "three hours' notice is short"
    dispatcher.shoot("23-outage-detail")
