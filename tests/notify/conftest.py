"""Real servers on loopback: an SMTP server (aiosmtpd) and an HTTP server standing in for
the SMS gateway and the WeCom webhook. Delivery runs through Huey in immediate mode."""

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps as django_apps
from huey.contrib.djhuey import HUEY

from mains.notify.defaults import install as install_templates


@pytest.fixture(autouse=True)
def _notify_ground(db, settings, tmp_path):
    # A transactional test elsewhere may have flushed what the data migration installed.
    install_templates(django_apps)
    settings.NOTIFY_FILE_DIR = str(tmp_path / "outbox")
    settings.PUBLIC_BASE_URL = "https://mains.example.cn"
    settings.LANGUAGE_CODE = "en"  # pages are checked for their English source strings
    HUEY.flush()
    yield
    HUEY.flush()


def run_due_retries(limit: int = 10) -> int:
    """Run the retries Huey scheduled (immediate mode keeps them in its memory schedule)."""
    ran = 0
    for _round in range(limit):
        later = HUEY._get_timestamp() + timedelta(minutes=10)
        due = HUEY.read_schedule(later)
        if not due:
            break
        for task in due:
            HUEY.execute(task, later)
            ran += 1
    return ran


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailBox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "email": message_from_bytes(envelope.content, policy=policy.default),
            }
        )
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    box = MailBox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.NOTIFY_SMTP_HOST = "127.0.0.1"
    settings.NOTIFY_SMTP_PORT = controller.port
    settings.NOTIFY_SMTP_USE_TLS = False
    settings.NOTIFY_SMTP_FROM = "hotline@mains.example.cn"
    yield box
    controller.stop()


@dataclass
class Gateway:
    """Records each JSON POST; answers what was queued with answer(), else success."""

    url: str = ""
    received: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    delay_seconds: float = 0.0

    def answer(self, status: int, body) -> None:
        self.answers.append((status, body))


def _handler_for(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            gateway.received.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(raw)}
            )
            if gateway.delay_seconds:
                threading.Event().wait(gateway.delay_seconds)
            status, body = (
                gateway.answers.pop(0)
                if gateway.answers
                else (200, {"code": 0, "errcode": 0, "errmsg": "ok"})
            )
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def gateway(settings):
    box = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(box))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    box.url = f"http://127.0.0.1:{server.server_port}"
    settings.NOTIFY_SMS_URL = box.url + "/sms/send"
    settings.NOTIFY_SMS_TOKEN = "t0ken"
    settings.NOTIFY_SMS_TOKEN_HEADER = "X-Api-Token"
    settings.NOTIFY_SMS_SIGN = "聊城水务"
    settings.NOTIFY_WECOM_WEBHOOK_URL = box.url + "/cgi-bin/webhook/send?key=abc"
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture
def real_backends(settings, smtp_server, gateway):
    """Every channel goes to its real server on loopback."""
    settings.NOTIFY_BACKENDS = {"sms": "sms_http", "email": "smtp", "wecom": "wecom_webhook"}
    return smtp_server, gateway
