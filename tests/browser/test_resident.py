"""A resident at a phone scans the notice board's QR code, reports a problem with a photo,
and tracks it with the order number and the last four digits of the phone number."""

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from PIL import Image

from mains.desk.actions import do_accept
from mains.desk.models import Attachment, WorkOrder
from mains.desk.states import State
from tests.browser.conftest import BROWSER_TEST, Visitor

pytestmark = BROWSER_TEST

PHONE_NUMBER = "13966665678"


class Resident(Visitor):
    """Nobody signed in: a phone that opened the address in the QR code."""

    def log_in(self) -> None:
        pass


@pytest.fixture
def visit_anonymous(browser, live_server) -> Iterator:
    cache.clear()  # no rate-limit counts left over from other tests
    residents: list[Resident] = []

    def open_page() -> Resident:
        resident = Resident(browser, live_server.url, "resident", phone=True)
        residents.append(resident)
        return resident

    yield open_page
    problems = [p for r in residents for p in r.problems]
    for resident in residents:
        resident.context.close()
    assert problems == [], "the pages reported errors or failed requests"


def png(width: int, height: int, colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def give_sam_a_photo(city, settings) -> None:
    folder = settings.MEDIA_ROOT / "specialists"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sun-ming.png").write_bytes(png(96, 96, (90, 140, 200)))
    specialist = city.sam.specialist
    specialist.photo = "specialists/sun-ming.png"
    specialist.save(update_fields=["photo"])


def plan_an_outage(city) -> bool:
    try:
        from mains.outages.models import Outage
    except ImportError:
        return False
    starts = timezone.now() + timedelta(days=2)
    outage = Outage.objects.create(
        reason="二次供水水箱清洗消毒", starts_at=starts, ends_at=starts + timedelta(hours=6)
    )
    outage.communities.add(city.xingguang)
    return True


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def test_a_resident_reports_a_problem_from_the_qr_code_and_tracks_it(
    visit_anonymous, city, settings
):
    give_sam_a_photo(city, settings)
    has_outage = plan_an_outage(city)
    resident = visit_anonymous()
    page = resident.page
    resident.go(f"/c/{city.xingguang.pk}/")  # the address printed in the QR code

    assert page.inner_text("#community-name") == "星光水晶城"
    assert "孙明" in page.inner_text("#specialist")
    assert page.locator("#specialist img.specialist-photo").evaluate("img => img.naturalWidth") > 0
    assert page.locator('#specialist a[href="tel:13900000001"]').is_visible()
    assert page.locator(f'#hotline a[href="tel:{settings.HOTLINE_NUMBER}"]').is_visible()
    if has_outage:
        assert "二次供水水箱清洗消毒" in page.inner_text("#outages")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing sticks out sideways on a 390-pixel phone"
    resident.shoot("resident-1-community", "resident.png")

    page.select_option("#id_category", str(city.leak.pk))
    page.fill("#id_description", "3号楼楼道水表一直在滴水，地面有积水")
    page.fill("#id_address", "3号楼2单元501")
    page.fill("#id_phone", PHONE_NUMBER)
    page.set_input_files(
        "#id_photo", {"name": "leak.png", "mimeType": "image/png", "buffer": png(64, 48, "gray")}
    )
    send = page.locator("#send-report")
    assert send.bounding_box()["height"] >= 44, "a button a thumb can hit"
    resident.shoot("resident-2-form")
    send.click()

    page.locator("#order-number").wait_for()
    order = WorkOrder.objects.get(caller_phone=PHONE_NUMBER)
    assert page.inner_text("#order-number") == order.number
    assert order.channel == "web"
    assert order.specialist == city.sam.specialist
    assert Attachment.objects.filter(order=order).count() == 1
    resident.shoot("resident-3-receipt")

    do_accept(order, city.sam)
    page.locator("#track-link").click()
    page.wait_for_url("**/track/**")
    assert page.input_value("#id_number") == order.number
    page.fill("#id_last_four", PHONE_NUMBER[-4:])
    page.locator("#show-state").click()

    page.locator("#order-status").wait_for()
    assert page.inner_text("#order-state") == zh(State.ACCEPTED.label)
    steps = page.locator("#order-steps li")
    assert steps.count() == 3  # received, passed to the specialist, taken on
    text = page.inner_text("main")
    assert "孙明" not in text and PHONE_NUMBER not in text and "2单元501" not in text
    resident.shoot("resident-4-tracked")


def test_a_photo_that_is_too_big_or_not_a_photo_loses_nothing_typed(
    visit_anonymous, city, settings
):
    settings.ATTACHMENT_MAX_BYTES = 2000
    resident = visit_anonymous()
    page = resident.page
    resident.go(f"/c/{city.xingguang.pk}/")
    page.select_option("#id_category", str(city.leak.pk))
    page.fill("#id_description", "水压很小，洗澡都不行")
    page.fill("#id_phone", PHONE_NUMBER)

    big = {"name": "big.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(5000)}
    page.set_input_files("#id_photo", big)
    page.locator("#photo-too-big").wait_for()
    assert page.evaluate("document.getElementById('id_photo').files.length") == 0

    fake = {"name": "leak.png", "mimeType": "image/png", "buffer": b"<html>not a photo</html>"}
    page.set_input_files("#id_photo", fake)
    page.locator("#send-report").click()
    page.locator("#id_photo.is-invalid").wait_for()
    assert page.input_value("#id_description") == "水压很小，洗澡都不行"
    assert page.input_value("#id_phone") == PHONE_NUMBER
    assert page.input_value("#id_category") == str(city.leak.pk)
    assert not WorkOrder.objects.exists()
    resident.shoot("resident-5-photo-refused")
