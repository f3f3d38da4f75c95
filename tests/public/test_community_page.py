"""The community's public page, as opened from the QR code on its notice board."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mains.desk.models import Category
from mains.outages.models import Outage


def page_of(client, community):
    return client.get(f"/c/{community.pk}/")


def test_the_address_printed_in_the_qr_codes_is_c_and_the_id():
    assert reverse("public:community", args=[460]) == "/c/460/"


def test_it_shows_the_community_its_specialist_and_the_hotline_without_log_in(client, city):
    response = page_of(client, city.xingguang)
    assert response.status_code == 200
    html = response.content.decode()
    assert "星光水晶城" in html
    assert "东昌路88号" in html
    assert "孙明" in html
    assert 'href="tel:13900000001"' in html
    assert f'href="tel:{settings.HOTLINE_NUMBER}"' in html
    assert "唐涛" not in html, "the other grid's specialist is not shown"


def test_it_has_no_back_office_navigation(client, city):
    html = page_of(client, city.xingguang).content.decode()
    assert "/desk/" not in html
    assert "/accounts/logout/" not in html


def test_it_shows_the_specialist_photo_when_there_is_one(client, city):
    specialist = city.sam.specialist
    specialist.photo = "specialists/sun-ming.jpg"
    specialist.save(update_fields=["photo"])
    html = page_of(client, city.xingguang).content.decode()
    assert 'src="/media/specialists/sun-ming.jpg"' in html


def test_it_sends_to_the_hotline_when_the_grid_has_no_specialist(client, city):
    city.grid_east.specialist = None
    city.grid_east.save(update_fields=["specialist"])
    response = page_of(client, city.xingguang)
    assert response.status_code == 200
    assert "孙明" not in response.content.decode()


def test_it_offers_only_the_active_categories_of_the_community_utility(client, city):
    Category.objects.filter(code="W-BILL").update(active=False)
    form = page_of(client, city.xingguang).context["form"]
    offered = set(form.fields["category"].queryset.values_list("code", flat=True))
    assert "W-LEAK" in offered
    assert "W-BILL" not in offered
    assert not any(code.startswith("H-") for code in offered)


def test_an_unknown_community_is_404(client, city):
    assert client.get("/c/999999/").status_code == 404


def test_it_shows_the_active_and_planned_outages_of_the_community(client, city):
    now = timezone.now()

    def outage(reason, starts, hours, community, **extra):
        made = Outage.objects.create(
            reason=reason, starts_at=starts, ends_at=starts + timedelta(hours=hours), **extra
        )
        made.communities.add(community)
        return made

    outage("东昌路主管道抢修", now - timedelta(hours=1), 5, city.xingguang, kind="emergency")
    outage("二次供水水箱清洗", now + timedelta(days=2), 6, city.xingguang)
    outage("西湖路阀门更换", now - timedelta(hours=1), 5, city.jinxiu)
    outage("十天后的计划停水", now + timedelta(days=10), 6, city.xingguang)
    outage("已恢复的停水", now - timedelta(hours=5), 2, city.xingguang, status="ended")

    html = page_of(client, city.xingguang).content.decode()
    assert html.count('class="alert alert-danger mb-2 outage outage-active"') == 1
    assert "东昌路主管道抢修" in html
    assert html.count('outage outage-upcoming"') == 1
    assert "二次供水水箱清洗" in html
    assert "西湖路阀门更换" not in html, "another community's outage"
    assert "十天后的计划停水" not in html, "further out than a week"
    assert "已恢复的停水" not in html


def test_a_community_without_outages_says_so(client, city):
    html = page_of(client, city.jinxiu).content.decode()
    assert 'id="no-outages"' in html
    assert "outage-active" not in html
