"""`mains notify_test`: an operator checks a channel's configuration end to end."""

import pytest
from django.core.management import CommandError, call_command

from mains.notify.models import Message


def test_it_sends_a_test_sms_through_the_gateway(settings, gateway, capsys):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "sms": "sms_http"}

    call_command("notify_test", "sms", "138 1234 1234")

    assert gateway.received[0]["json"]["phone"] == "13812341234"
    assert "Sent through sms_http" in capsys.readouterr().out
    assert Message.objects.get(related="test").status == Message.Status.SENT


def test_it_says_why_a_test_e_mail_failed_and_logs_it(settings, smtp_server):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "email": "smtp"}
    settings.NOTIFY_SMTP_PORT = 1

    with pytest.raises(CommandError, match="smtp: SMTP"):
        call_command("notify_test", "email", "una@example.cn")

    assert Message.objects.get(related="test").status == Message.Status.FAILED


def test_it_refuses_a_landline_for_a_test_sms():
    with pytest.raises(CommandError, match="mobile number"):
        call_command("notify_test", "sms", "0635-8888888")
