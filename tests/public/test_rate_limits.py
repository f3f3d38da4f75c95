"""Abuse: limits per IP and per phone answer 429 with a clear message and keep the input."""

from datetime import timedelta

import time_machine
from django.utils import timezone, translation

from mains.desk.models import WorkOrder
from mains.public.models import RateCounter
from mains.public.ratelimit import Limit


def send(client, community, data, ip="203.0.113.7"):
    return client.post(f"/c/{community.pk}/", data, REMOTE_ADDR=ip)


def look_up(client, number, last_four, ip="203.0.113.7"):
    return client.post("/track/", {"number": number, "last_four": last_four}, REMOTE_ADDR=ip)


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_reports_beyond_the_limit_per_ip_get_429_and_keep_the_input(client, city, report, settings):
    settings.PUBLIC_REPORTS_PER_HOUR_PER_IP = 2
    for phone in ("13800000001", "13800000002"):
        assert send(client, city.xingguang, {**report, "phone": phone}).status_code == 302
    refused = send(client, city.xingguang, {**report, "phone": "13800000003"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert 'id="limit-message"' in html
    assert settings.HOTLINE_NUMBER in refused.context["limit_message"]
    assert "3号楼楼道水表一直在滴水" in html
    assert 'value="3号楼2单元501"' in html
    assert 'value="13800000003"' in html
    assert f'<option value="{city.leak.pk}" selected>' in html
    assert WorkOrder.objects.count() == 2
    other_ip = send(client, city.xingguang, {**report, "phone": "13800000003"}, ip="198.51.100.2")
    assert other_ip.status_code == 302, "another connection has its own count"


def test_reports_beyond_the_limit_per_phone_get_429_whatever_the_ip(client, city, report, settings):
    settings.PUBLIC_REPORTS_PER_DAY_PER_PHONE = 1
    assert send(client, city.xingguang, report, ip="198.51.100.1").status_code == 302
    # The same number written another way is the same phone.
    refused = send(
        client, city.xingguang, {**report, "phone": "+86 13812345678"}, ip="198.51.100.9"
    )
    assert refused.status_code == 429
    phone_message = zh(
        "This phone number has already sent %(limit)s reports today. Please "
        "try again %(wait)s, or call the hotline %(hotline)s."
    )
    assert phone_message.split("%(limit)s")[0] in refused.context["limit_message"]
    assert 'value="+86 13812345678"' in refused.content.decode()
    assert WorkOrder.objects.count() == 1
    other_phone = send(
        client, city.xingguang, {**report, "phone": "13912345678"}, ip="198.51.100.9"
    )
    assert other_phone.status_code == 302


def test_a_report_with_errors_does_not_count_against_the_limit(client, city, report, settings):
    settings.PUBLIC_REPORTS_PER_HOUR_PER_IP = 1
    assert send(client, city.xingguang, {**report, "category": ""}).status_code == 200
    assert send(client, city.xingguang, report).status_code == 302


def test_the_limit_opens_again_in_the_next_window(client, city, report, settings):
    settings.PUBLIC_REPORTS_PER_HOUR_PER_IP = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert send(client, city.xingguang, report).status_code == 302
        other = {**report, "phone": "13912345678"}
        assert send(client, city.xingguang, other).status_code == 429
        clock.shift(timedelta(hours=1))
        assert send(client, city.xingguang, other).status_code == 302


def test_look_ups_beyond_the_limit_per_ip_get_429_and_keep_the_input(
    client, city, new_order, settings
):
    settings.PUBLIC_LOOKUPS_PER_HOUR_PER_IP = 2
    order = new_order()
    assert look_up(client, order.number, "0000").status_code == 200
    assert look_up(client, order.number, "1234").status_code == 200
    refused = look_up(client, order.number, "1234")
    assert refused.status_code == 429
    assert "order" not in refused.context, "a refused look-up shows nothing"
    html = refused.content.decode()
    assert 'id="limit-message"' in html
    assert f'value="{order.number}"' in html
    assert 'value="1234"' in html


def test_a_forwarded_address_counts_only_when_the_proxy_is_trusted(rf, settings):
    from mains.lib.client_address import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "10.0.0.1"
    settings.PUBLIC_TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.7", "the hop the proxy appended, not a forged one"


def test_a_counter_stores_no_phone_number_in_its_key(db):
    limit = Limit("report-phone", 3, 3600)
    assert "13812345678" not in limit._key("13812345678")
    assert limit.hit("13812345678") and limit.used("13812345678") == 1
    stored = RateCounter.objects.values_list("key", flat=True)
    assert list(stored) == [limit._key("13812345678")]
