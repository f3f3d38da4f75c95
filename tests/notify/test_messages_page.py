"""The message log for administrators: filters, masked phones, retry of failed messages."""

import pytest
from django.urls import reverse

from mains.notify.models import Message

URL = reverse("notify:messages")


def log(**fields) -> Message:
    values = {
        "event": "order_received",
        "channel": "sms",
        "recipient": "13812341234",
        "body": "您好，您反映的问题已受理。",
        "status": Message.Status.SENT,
    }
    values.update(fields)
    return Message.objects.create(**values)


@pytest.fixture
def admin_client(client, city):
    client.force_login(city.admin)
    return client


@pytest.mark.parametrize("who", ["dispatcher", "agent", "unit_manager", "sam"])
def test_only_administrators_see_the_message_log(client, city, who):
    client.force_login(getattr(city, who))

    assert client.get(URL).status_code == 403


def test_the_log_shows_each_message_with_the_phone_masked(admin_client):
    log(error="", recipient="13812341234")
    log(channel="email", recipient="una@example.cn", event="sla_warning")

    page = admin_client.get(URL).content.decode()

    assert "138****1234" in page
    assert "13812341234" not in page
    assert "una@example.cn" in page


def test_the_log_filters_by_event_status_and_channel(admin_client):
    log(recipient="13800000001")
    log(recipient="13800000002", status=Message.Status.FAILED, error="HTTP 500")
    log(recipient="una@example.cn", channel="email", event="sla_warning")

    def shown(query: str) -> set[str]:
        return {m.recipient for m in admin_client.get(URL + query).context["page"]}

    assert shown("?status=failed") == {"13800000002"}
    assert shown("?channel=email") == {"una@example.cn"}
    assert shown("?event=order_received&status=sent") == {"13800000001"}
    assert len(shown("?status=nonsense")) == 3


def test_an_empty_log_says_what_will_appear_there(admin_client):
    assert "No message has been sent yet" in admin_client.get(URL).content.decode()


def test_only_failed_messages_offer_a_retry(admin_client):
    failed = log(status=Message.Status.FAILED, error="HTTP 500")
    sent = log()

    page = admin_client.get(URL).content.decode()

    assert reverse("notify:retry", args=[failed.pk]) in page
    assert reverse("notify:retry", args=[sent.pk]) not in page


def test_retry_sends_a_failed_message_again(
    admin_client, real_backends, django_capture_on_commit_callbacks
):
    _smtp, gateway = real_backends
    failed = log(status=Message.Status.FAILED, error="HTTP 500", attempts=4)

    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(
            reverse("notify:retry", args=[failed.pk]), {"query": "status=failed&x=\r\nevil"}
        )

    assert answer.status_code == 302
    assert answer["Location"] == URL + "?status=failed"
    failed.refresh_from_db()
    assert failed.status == Message.Status.SENT
    assert failed.attempts == 5
    assert gateway.received[0]["json"]["phone"] == "13812341234"


def test_retry_refuses_a_message_that_did_not_fail(admin_client):
    sent = log()

    answer = admin_client.post(reverse("notify:retry", args=[sent.pk]), follow=True)

    assert "Only failed messages can be sent again." in answer.content.decode()
    sent.refresh_from_db()
    assert sent.status == Message.Status.SENT


def test_retry_of_an_unknown_message_is_a_clear_error(admin_client):
    answer = admin_client.post(reverse("notify:retry", args=[999999]), follow=True)

    assert answer.status_code == 200
    assert "This message does not exist." in answer.content.decode()


def test_retry_needs_a_post(admin_client):
    failed = log(status=Message.Status.FAILED, error="HTTP 500")

    assert admin_client.get(reverse("notify:retry", args=[failed.pk])).status_code == 405


def test_the_log_answers_in_the_same_queries_for_many_messages(
    admin_client, django_assert_max_num_queries
):
    log()
    with django_assert_max_num_queries(20) as few:
        admin_client.get(URL)
    for _n in range(30):
        log()
    with django_assert_max_num_queries(len(few)):
        admin_client.get(URL)


def test_the_administrators_menu_leads_to_the_message_log(admin_client):
    page = admin_client.get(reverse("admin_home")).content.decode()

    assert f'href="{URL}"' in page


def test_mobile_numbers_quoted_in_a_text_are_masked_too(admin_client):
    log(body="张三（13812341234）家楼道漏水，工单2026112100042")

    page = admin_client.get(URL).content.decode()

    assert "138****1234" in page and "13812341234" not in page
    assert "2026112100042" in page


def test_a_message_about_an_order_links_to_it(admin_client):
    log(related="order:42")

    assert 'href="/desk/orders/42/"' in admin_client.get(URL).content.decode()
