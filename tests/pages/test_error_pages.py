"""Every error page people get is in Chinese (the default language), carries the utility's
name (SITE_NAME) rather than the software's, and offers a way back."""

import pytest
from django.test import Client

BRAND = "清泉水务公司"


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False
    settings.SITE_NAME = BRAND


def assert_branded_chinese(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert heading in page
    assert f"· {BRAND}</title>" in page
    assert 'id="home-link"' in page and "返回首页" in page
    assert "Not Found" not in page and "mains" not in page.replace("/static/mains/", "")
    return page


def test_a_stale_qr_code_gets_the_branded_chinese_404(db, client):
    page = assert_branded_chinese(client.get("/c/99999/"), 404, "页面不存在")
    assert "二维码" in page


def test_an_unknown_address_gets_the_same_404(db, client):
    assert_branded_chinese(client.get("/no/such/page/"), 404, "页面不存在")


def test_a_role_outside_a_page_gets_the_branded_chinese_403(client, city):
    client.force_login(city.supervisor)
    assert_branded_chinese(client.get("/desk/board/"), 403, "您无权打开此页面")


def test_a_bad_request_gets_the_branded_chinese_400(db, client):
    # A Host outside ALLOWED_HOSTS is a SuspiciousOperation: Django answers 400.
    response = client.get("/c/1/", HTTP_HOST="evil.example")
    assert_branded_chinese(response, 400, "无法理解此请求")


def test_a_refused_csrf_token_gets_the_branded_chinese_403(client, city):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/c/{city.xingguang.pk}/", {})
    assert_branded_chinese(response, 403, "表单无法提交")


@pytest.mark.urls("tests.pages.crash_urls")
def test_a_crash_gets_the_branded_chinese_500_with_its_error_id(db):
    response = Client(raise_request_exception=False).get("/crash/")
    page = assert_branded_chinese(response, 500, "服务器出错了")
    assert "错误已记录为" in page
