"""Each backend against a real server on loopback."""

from pathlib import Path

import pytest
from django.core.checks import run_checks

from mains.notify.backends import DeliveryError
from mains.notify.backends.gateways import SmsHttpBackend, WecomWebhookBackend
from mains.notify.backends.local import FileBackend
from mains.notify.backends.smtp import SmtpBackend
from mains.notify.models import Message


def message(channel: str, recipient: str, subject: str = "", body: str = "正文") -> Message:
    return Message.objects.create(
        event="sla_warning", channel=channel, recipient=recipient, subject=subject, body=body
    )


def test_an_email_reaches_the_smtp_server_with_its_chinese_subject(smtp_server):
    SmtpBackend().send(message("email", "una@example.cn", "【即将超时】工单1", "请督促处理。"))

    (mail,) = smtp_server.messages
    assert mail["from"] == "hotline@mains.example.cn"
    assert mail["to"] == ["una@example.cn"]
    assert mail["email"]["Subject"] == "【即将超时】工单1"
    assert mail["email"].get_content().strip() == "请督促处理。"


def test_an_unreachable_smtp_server_is_a_delivery_error(settings, smtp_server):
    settings.NOTIFY_SMTP_PORT = 1  # nothing listens there on loopback

    with pytest.raises(DeliveryError, match="SMTP"):
        SmtpBackend().send(message("email", "una@example.cn", "主题"))
    assert smtp_server.messages == []


def test_an_sms_is_posted_to_the_gateway_with_the_token_and_the_sign(gateway):
    SmsHttpBackend().send(message("sms", "13812341234", body="您的工单已受理。"))

    (request,) = gateway.received
    assert request["path"] == "/sms/send"
    assert request["headers"]["X-Api-Token"] == "t0ken"
    assert request["json"] == {
        "phone": "13812341234",
        "text": "您的工单已受理。",
        "sign": "聊城水务",
    }


@pytest.mark.parametrize(
    "status, body",
    [
        (200, {"code": 1001, "message": "余额不足"}),
        (200, {"errcode": 40001, "errmsg": "invalid token"}),
        (200, {"error": "blocked number"}),
        (500, {"message": "down"}),
        (403, "forbidden"),
        (200, "<html>not json</html>"),
    ],
)
def test_a_gateway_refusal_is_a_delivery_error(gateway, status, body):
    gateway.answer(status, body)

    with pytest.raises(DeliveryError):
        SmsHttpBackend().send(message("sms", "13812341234"))


def test_the_gateway_error_says_why(gateway):
    gateway.answer(200, {"code": 1001, "message": "余额不足"})

    with pytest.raises(DeliveryError, match="code 1001: 余额不足"):
        SmsHttpBackend().send(message("sms", "13812341234"))


def test_a_slow_gateway_times_out(settings, gateway):
    settings.NOTIFY_TIMEOUT_SECONDS = 1
    gateway.delay_seconds = 2

    with pytest.raises(DeliveryError, match="unreachable|timed out"):
        SmsHttpBackend().send(message("sms", "13812341234"))


def test_the_wecom_robot_gets_a_text_message(gateway):
    WecomWebhookBackend().send(message("wecom", "东城供水服务站", "", "【已超时】工单1"))

    (request,) = gateway.received
    assert request["path"] == "/cgi-bin/webhook/send?key=abc"
    assert request["json"] == {"msgtype": "text", "text": {"content": "【已超时】工单1"}}


def test_a_wecom_errcode_is_a_delivery_error(gateway):
    gateway.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})

    with pytest.raises(DeliveryError, match="93000"):
        WecomWebhookBackend().send(message("wecom", "东城供水服务站"))


def test_a_long_wecom_text_is_cut_to_what_the_robot_takes(gateway):
    WecomWebhookBackend().send(message("wecom", "东城", body="漏" * 1000))

    content = gateway.received[0]["json"]["text"]["content"]
    assert len(content.encode("utf-8")) <= 2048
    assert content.startswith("漏漏")


def test_the_file_backend_writes_one_line_per_message(settings):
    FileBackend().send(message("sms", "13812341234", body="第一行\n第二行"))

    lines = (Path(settings.NOTIFY_FILE_DIR) / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert "13812341234" in lines[0] and "第一行 ⏎ 第二行" in lines[0]


def test_system_checks_refuse_an_unknown_or_unconfigured_backend(settings):
    settings.NOTIFY_BACKENDS = {"sms": "carrier-pigeon", "email": "sms_http", "wecom": "file"}
    settings.NOTIFY_SMS_URL = ""

    ids = {error.id for error in run_checks() if error.id.startswith("notify.")}

    assert ids == {"notify.E001", "notify.E002", "notify.E003"}


def test_system_checks_accept_the_default_file_backends():
    assert [e for e in run_checks() if e.id.startswith("notify.")] == []
