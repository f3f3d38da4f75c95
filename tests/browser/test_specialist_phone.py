"""In a real browser on a phone: a grid specialist with about 40 open orders filters to the
overdue ones, scrolls to a card far down, and accepts, arrives and resolves it there; the
card is swapped in place and stays in view (the page does not jump back to the top)."""

from datetime import timedelta

from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.desk.states import State
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

OVERDUE = 15
LATER = 25


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top < window.innerHeight && r.bottom > 0; }""",
        selector,
    )


def scroll_y(page) -> float:
    return page.evaluate("window.scrollY")


def test_the_specialist_works_a_card_far_down_without_losing_the_place(city, visit, new_order):
    now = timezone.now()
    for i in range(OVERDUE + LATER):
        order = new_order(address=f"星光水晶城{i % 9 + 1}号楼{i + 1}01")
        due = now - timedelta(hours=i + 1) if i < OVERDUE else now + timedelta(days=2, hours=i)
        level = "red" if i < OVERDUE else "green"  # as the SLA job would have marked them
        WorkOrder.objects.filter(pk=order.pk).update(
            current_due=due, accept_due=due, sla_level=level
        )
    # The least overdue is last in the overdue list: the card far down.
    last = WorkOrder.objects.filter(current_due__lt=now).order_by("-current_due").first()

    sam = visit("sam", phone=True)
    page = sam.page
    assert sam.path_matches(r"/desk/mine/$")
    assert page.inner_text("#when-overdue .badge") == str(OVERDUE)
    page.tap("#when-overdue")
    page.wait_for_url("**/desk/mine/?when=overdue")
    assert page.locator(".field-card").count() == OVERDUE

    card = f"#order-{last.number}"
    page.locator(card).scroll_into_view_if_needed()
    before = scroll_y(page)
    assert before > 2000, "the card is far down the list"
    sam.shoot("specialist-phone-overdue")

    page.tap(f"#accept-{last.number}")
    page.locator(f"#arrive-{last.number}").wait_for()
    assert abs(scroll_y(page) - before) < 5 and in_view(page, card)
    assert page.locator(f"{card} .card-done").count() == 1
    assert page.inner_text("#when-overdue .badge") == str(OVERDUE - 1), "counts swapped too"

    page.tap(f"#arrive-{last.number}")
    page.locator(f"#resolve-here-{last.number}").wait_for()
    assert abs(scroll_y(page) - before) < 5 and in_view(page, card)

    page.tap(f"#resolve-here-{last.number} summary")
    page.fill(f"#note-{last.number}", "更换阀门，试压无渗漏")
    page.tap(f"#resolve-submit-{last.number}")
    page.locator(f"{card} .field-due .text-success").wait_for()
    assert in_view(page, card)
    assert "等待回访（客服）" in page.inner_text(card)
    sam.shoot("specialist-phone-resolved-in-place")
    last.refresh_from_db()
    assert last.state == State.RESOLVED and last.resolution == "更换阀门，试压无渗漏"

    desk = visit("sam")
    desk.go("/desk/mine/?when=overdue")
    assert desk.page.locator(".field-card").count() == OVERDUE - 1
    desk.shoot("specialist-desktop-overdue")
