"""HTTP gateways: an SMS gateway adapter and the WeCom (企业微信) group robot webhook.

Both POST JSON with urllib (no extra dependency) and a timeout; a non-2xx answer, an
answer that is not JSON, or an error code in the JSON is a failure.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

from mains.notify.backends.base import DeliveryError
from mains.notify.models import Message

# What gateways put in `code` / `errcode` when all is well.
_OK_CODES = {0, "0", "OK", "ok", "success", "SUCCESS"}


def post_json(url: str, payload: dict, headers: dict[str, str] | None = None) -> dict:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as answer:
            status = answer.status
            raw = answer.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace")
        raise DeliveryError(f"HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeliveryError(f"answer is not JSON: {raw[:200]!r}") from exc
    if not isinstance(body, dict):
        raise DeliveryError(f"answer is not a JSON object: {raw[:200]!r}")
    return body


def _check_code(body: dict, key: str) -> None:
    if key in body and body[key] not in _OK_CODES:
        reason = body.get("errmsg") or body.get("message") or body.get("msg") or ""
        raise DeliveryError(f"{key} {body[key]}: {reason}".strip())


class SmsHttpBackend:
    """POST {phone, text, sign} to NOTIFY_SMS_URL with the token in a header."""

    name = "sms_http"
    channels = ("sms",)

    def send(self, message: Message) -> None:
        headers = {settings.NOTIFY_SMS_TOKEN_HEADER: settings.NOTIFY_SMS_TOKEN}
        payload = {
            "phone": message.recipient,
            "text": message.body,
            "sign": settings.NOTIFY_SMS_SIGN,
        }
        body = post_json(settings.NOTIFY_SMS_URL, payload, headers)
        for key in ("code", "errcode"):
            _check_code(body, key)
        if body.get("error"):
            raise DeliveryError(f"error: {body['error']}")


class WecomWebhookBackend:
    """The group robot: {"msgtype": "text", "text": {"content": …}}; errcode 0 is success."""

    name = "wecom_webhook"
    channels = ("wecom",)

    def send(self, message: Message) -> None:
        content = f"{message.subject}\n{message.body}" if message.subject else message.body
        # The robot takes at most 2048 bytes of UTF-8.
        content = content.encode("utf-8")[:2048].decode("utf-8", "ignore")
        payload = {"msgtype": "text", "text": {"content": content}}
        body = post_json(settings.NOTIFY_WECOM_WEBHOOK_URL, payload)
        if "errcode" not in body:
            raise DeliveryError("answer has no errcode")
        _check_code(body, "errcode")
