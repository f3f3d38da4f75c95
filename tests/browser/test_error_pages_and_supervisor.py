"""A resident scanning a stale QR code gets the utility's Chinese 404 with a way back; a
social supervisor picks a community by typing its pinyin initials and sees an observation
past its answer date in red, with words. At 1366×768 and on a 390-pixel phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mains.supervision.actions import do_file_observation
from mains.supervision.models import Observation
from tests.browser.conftest import ARTIFACTS, BROWSER_TEST, DESKTOP, PHONE, TIMEOUT_MS

pytestmark = BROWSER_TEST

BRAND = "清泉水务公司"
DANGER_RED = "rgb(220, 53, 69)"  # Bootstrap's text-bg-danger


@pytest.fixture(autouse=True)
def _branded(settings):
    settings.SITE_NAME = BRAND


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_stale_qr_code_shows_the_branded_chinese_404(browser, live_server, db, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(live_server.url + "/c/99999/")
        assert response is not None and response.status == 404
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.title() == f"页面不存在 · {BRAND}"
        assert page.inner_text("#site-name") == BRAND
        assert "二维码可能已过期" in page.inner_text("main")
        assert "Not Found" not in page.content()
        home = page.locator("#home-link")
        assert home.is_visible() and home.inner_text() == "返回首页"
        box = home.bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "desktop" if viewport == DESKTOP else "phone"
        page.screenshot(path=str(ARTIFACTS / f"error-404-stale-qr-{name}.png"), full_page=True)
        home.click()
        page.wait_for_url("**/accounts/login/**")
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_supervisor_picks_a_community_by_initials_and_sees_overdue_in_red(visit, city, phone):
    late = do_file_observation(city.supervisor, "integrity", "收费窗口不开票")
    Observation.objects.filter(pk=late.pk).update(answer_due=timezone.now() - timedelta(hours=2))

    vic = visit("vic", phone=phone)
    vic.go("/supervision/mine/")
    page = vic.page
    overdue = page.locator(".obs-overdue >> nth=0")
    assert "已逾期" in overdue.inner_text()
    assert overdue.evaluate("el => getComputedStyle(el).backgroundColor") == DANGER_RED

    page.locator("#id_community_search").press_sequentially("jxjy")
    page.locator(f".community-pick[data-id='{city.jinxiu.pk}']").wait_for()
    assert page.locator(".community-pick").count() == 1
    page.press("#id_community_search", "Enter")
    assert page.input_value("#id_community_search") == "锦绣家园"
    assert page.input_value("#id_community") == str(city.jinxiu.pk)
    vic.shoot(f"supervisor-community-picked-{'phone' if phone else 'desktop'}")
    page.fill("#id_text", "锦绣家园营业点周六不开门")
    page.click("#observation-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    filed = Observation.objects.get(text="锦绣家园营业点周六不开门")
    assert filed.community == city.jinxiu
    assert page.locator(".obs-overdue").count() == 1, "only the late one is red"
    vic.shoot(f"supervisor-overdue-red-{'phone' if phone else 'desktop'}")
