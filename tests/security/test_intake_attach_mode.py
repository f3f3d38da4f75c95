"""Issue 10, item 10: after an error the intake page says what the next save will do.

A call the agent chose to attach to an open order stays attached after a failed save, and
the page says so (banner and button) from what was submitted, not from JavaScript alone.
A call whose community or category no longer matches that order is neither attached nor
saved: the page drops the attachment, says why, and keeps everything typed.
"""

from html.parser import HTMLParser

import pytest

from mains.desk import actions
from mains.desk.models import Attachment, OrderEvent, WorkOrder
from mains.desk.states import Action
from tests.desk.test_intake_page import EN, png, typed

VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}


class _Element(HTMLParser):
    """The visible text of the element with one id (None if absent or hidden)."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.stack: list[tuple[bool, bool]] = []  # (hidden, inside the element)
        self.found = False
        self.shown = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = "d-none" in (attributes.get("class") or "").split() or (
            bool(self.stack) and self.stack[-1][0]
        )
        inside = bool(self.stack) and self.stack[-1][1]
        if attributes.get("id") == self.element_id:
            self.found, self.shown, inside = True, not hidden, True
        if tag not in VOID:
            self.stack.append((hidden, inside))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][0]:
            self.parts.append(data)


def shown_text(page: str, element_id: str) -> str | None:
    parser = _Element(element_id)
    parser.feed(page)
    if not (parser.found and parser.shown):
        return None
    return " ".join(" ".join(parser.parts).split())


def attach_target_in(page: str) -> str:
    marker = 'name="attach_to" id="id_attach_to" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def agent(client, city):
    client.force_login(city.agent)
    return client


@pytest.fixture
def leak(new_order):
    return new_order(description="楼道水表漏水")


def test_a_fresh_intake_announces_no_attachment_and_saves_an_order(agent, city):
    page = agent.get("/desk/intake/", **EN).content.decode()
    assert shown_text(page, "attach-banner") is None
    assert attach_target_in(page) == ""
    assert shown_text(page, "save-order") == "Save order"


def test_after_an_error_the_page_still_announces_the_attachment_the_agent_chose(agent, city, leak):
    data = typed(city, attach_to=leak.pk, caller_phone="12")
    page = agent.post("/desk/intake/", data, **EN).content.decode()
    assert "is not a phone number" in page
    assert attach_target_in(page) == str(leak.pk)
    banner = shown_text(page, "attach-banner")
    assert banner is not None and f"attached to order {leak.number}" in banner
    assert shown_text(page, "save-order") == f"Attach the call to order {leak.number}"
    assert WorkOrder.objects.count() == 1
    assert not OrderEvent.objects.filter(action=Action.EXTRA_CALL).exists()


def test_saving_the_announced_attachment_after_the_error_attaches_the_call(agent, city, leak):
    data = typed(city, attach_to=leak.pk, caller_phone="13900003333", files=[png()])
    response = agent.post("/desk/intake/", data, **EN)
    assert response.status_code == 302
    assert response.url == f"/desk/intake/?saved={leak.pk}&attached=1", (
        "the caller is told the number of the order the call joined, not of a new one"
    )
    event = OrderEvent.objects.get(order=leak, action=Action.EXTRA_CALL)
    assert WorkOrder.objects.get(pk=leak.pk).call_count == 2
    assert Attachment.objects.get().event == event, "the photo of the call is kept"
    assert WorkOrder.objects.count() == 1


@pytest.mark.parametrize(
    "changed", [{"category": "complaint"}, {"community": "jinxiu"}, {"community": None}]
)
def test_a_call_no_longer_about_the_chosen_order_is_neither_attached_nor_saved(
    agent, city, leak, changed
):
    field, value = next(iter(changed.items()))
    if field == "category":
        data = typed(city, attach_to=leak.pk, category=city.complaint.pk)
    else:
        community = getattr(city, value) if value else None
        data = typed(city, attach_to=leak.pk, community=community.pk if community else "")
    response = agent.post("/desk/intake/", data, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert WorkOrder.objects.count() == 1
    assert not OrderEvent.objects.filter(action=Action.EXTRA_CALL).exists()
    assert WorkOrder.objects.get(pk=leak.pk).call_count == 1
    notice = shown_text(page, "attach-dropped")
    assert notice is not None and f"not attached to order {leak.number}" in notice
    assert "Save again to make a new order" in notice
    assert shown_text(page, "attach-banner") is None
    assert attach_target_in(page) == ""
    assert shown_text(page, "save-order") == "Save order"
    assert "厨房水表接口漏水" in page and "5号楼1单元202" in page and "王五" in page


def test_the_save_after_the_page_dropped_the_attachment_makes_the_new_order(agent, city, leak):
    changed = typed(city, attach_to=leak.pk, category=city.complaint.pk)
    page = agent.post("/desk/intake/", changed, **EN).content.decode()
    again = typed(city, attach_to=attach_target_in(page), category=city.complaint.pk)
    response = agent.post("/desk/intake/", again, **EN)
    new = WorkOrder.objects.exclude(pk=leak.pk).get()
    assert response.url == f"/desk/intake/?saved={new.pk}"
    assert (new.category, new.description) == (city.complaint, "厨房水表接口漏水")
    assert WorkOrder.objects.get(pk=leak.pk).call_count == 1


def test_an_order_closed_since_it_was_chosen_is_dropped_from_the_page_with_a_reason(
    agent, city, leak
):
    actions.do_cancel(leak, city.dispatcher, "无效")
    page = agent.post("/desk/intake/", typed(city, attach_to=leak.pk), **EN).content.decode()
    assert shown_text(page, "attach-dropped") == "That order is no longer open; save a new one."
    assert attach_target_in(page) == ""
    assert shown_text(page, "save-order") == "Save order"
    agent.post("/desk/intake/", typed(city, attach_to=attach_target_in(page)))
    assert WorkOrder.objects.count() == 2
