"""The default templates: one per event and sensible channel, Chinese, rendering with the
context each event is sent with; editable (and checked) in the Django admin."""

import re

import pytest
from django.urls import reverse

from mains.notify.defaults import DEFAULT_TEMPLATES
from mains.notify.events import CONTEXT, Event
from mains.notify.models import Template
from mains.notify.service import render

EXPECTED_CHANNELS = {
    "order_received": {"sms"},
    "order_assigned": {"sms"},
    "sla_warning": {"wecom", "email"},
    "sla_overdue": {"wecom", "email"},
    "order_resolved": {"sms"},
    "outage_announced": {"sms", "wecom"},
    "outage_changed": {"sms"},
    "outage_ended": {"sms"},
}


def test_every_event_ships_templates_for_its_channels():
    shipped: dict[str, set] = {}
    for template in Template.objects.all():
        shipped.setdefault(template.event, set()).add(template.channel)
    assert shipped == EXPECTED_CHANNELS
    assert set(shipped) == set(Event.values)


@pytest.mark.parametrize("event, channel, subject, body", DEFAULT_TEMPLATES)
def test_each_default_template_uses_only_the_variables_its_event_provides(
    event, channel, subject, body
):
    used = set(re.findall(r"{{\s*(\w+)", subject + body))
    assert used <= set(CONTEXT[event]) | {"hotline", "site_name", "recipient_name"}
    assert re.search(r"[\u4e00-\u9fff]", body), "the text is Chinese"


def test_the_order_received_sms_carries_the_number_and_the_tracking_link():
    template = Template.objects.get(event="order_received", channel="sms")
    url = "https://mains.example.cn/track/?number=2026112100042"

    text = render(
        template.body,
        {
            "number": "2026112100042",
            "category": "管道漏水",
            "tracking_url": url,
            "hotline": "96568",
        },
    )

    assert "工单号2026112100042" in text
    assert url in text
    assert "96568" in text


def test_values_are_not_html_escaped_in_messages():
    assert render("{{ community }}", {"community": "A&B <小区>"}) == "A&B <小区>"


def test_the_outage_end_sms_reads_well_with_the_outage_context():
    template = Template.objects.get(event="outage_ended", channel="sms")
    context = {"communities": "星光水晶城、锦绣家园", "ended_at": "2026-11-21 18:00"}

    text = render(template.body, {**context, "hotline": "96568"})

    assert text.startswith("【恢复供应】星光水晶城、锦绣家园已于2026-11-21 18:00恢复供应")


def test_an_administrator_edits_a_template_in_the_admin(client, city):
    template = Template.objects.get(event="order_resolved", channel="sms")
    client.force_login(city.admin)
    url = reverse("admin:notify_template_change", args=[template.pk])

    page = client.get(url)
    answer = client.post(
        url,
        {
            "event": "order_resolved",
            "channel": "sms",
            "subject": "",
            "body": "已办结{{ number }}",
            "active": "on",
        },
    )

    assert page.status_code == 200 and "{{ tracking_url }}" in page.content.decode()
    assert answer.status_code == 302
    template.refresh_from_db()
    assert template.body == "已办结{{ number }}"


def test_the_admin_refuses_a_template_that_does_not_compile_and_keeps_the_text(client, city):
    template = Template.objects.get(event="order_resolved", channel="sms")
    client.force_login(city.admin)
    url = reverse("admin:notify_template_change", args=[template.pk])

    answer = client.post(
        url,
        {
            "event": "order_resolved",
            "channel": "sms",
            "subject": "",
            "body": "{% if %}坏模板",
            "active": "on",
        },
    )

    assert answer.status_code == 200
    assert "坏模板" in answer.content.decode()
    template.refresh_from_db()
    assert "{% if %}" not in template.body


def test_the_message_log_in_the_admin_is_read_only(client, city):
    client.force_login(city.admin)

    assert client.get(reverse("admin:notify_message_changelist")).status_code == 200
    assert client.get(reverse("admin:notify_message_add")).status_code == 403
