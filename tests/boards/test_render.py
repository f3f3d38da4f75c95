import segno
from django.conf import settings

from mains.areas.models import Community
from mains.boards.render import board_html, board_pdf, communities_for_print, public_url, qr_for
from tests.boards.conftest import page_count


def test_a_board_is_a_one_page_pdf(city):
    pdf = board_pdf(communities_for_print(Community.objects.filter(pk=city.xingguang.pk)))
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1


def test_a_batch_has_one_page_per_community(city):
    for n in range(3):
        Community.objects.create(name=f"测试小区{n}", address="测试路", grid=city.grid_east)
    pdf = board_pdf(communities_for_print(Community.objects.all()))
    assert page_count(pdf) == 5


def test_the_board_shows_the_specialist_hotline_and_community(city, settings):
    settings.HOTLINE_NUMBER = "96777"
    settings.BOARD_ORG_NAME = "东昌水务"
    html = board_html(communities_for_print(Community.objects.filter(pk=city.xingguang.pk)))
    assert "星光水晶城" in html
    assert "孙明" in html
    assert "139 0000 0001" in html
    assert "96777" in html
    assert "东昌水务" in html


def test_a_community_without_a_specialist_points_to_the_hotline(city):
    lonely = Community.objects.create(name="无网格小区", address="某路1号")
    html = board_html(communities_for_print(Community.objects.filter(pk=lonely.pk)))
    assert "专员安排中" in html
    assert '<svg viewBox="0 0 78 104"' in html  # the placeholder silhouette


def test_the_qr_code_carries_the_public_page_of_the_community(city):
    url = public_url(city.xingguang)
    assert url == f"{settings.PUBLIC_BASE_URL}/c/{city.xingguang.pk}/"
    html = board_html(communities_for_print(Community.objects.filter(pk=city.xingguang.pk)))
    assert f'data-url="{url}"' in html
    assert qr_for(url).matrix == segno.make(url, error="m").matrix
    assert qr_for(url).svg_inline(scale=1, border=2, dark="#0b2545", omitsize=True) in html


def test_two_communities_get_two_different_qr_codes(city):
    first = qr_for(public_url(city.xingguang)).matrix
    second = qr_for(public_url(city.jinxiu)).matrix
    assert first != second
