"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

Every browser test module carries `pytestmark = BROWSER_TEST`: the `browser` marker and a
transactional database (the live server runs in another thread, so it must see committed
rows) with serialized rollback (the flush would otherwise drop the default categories that
a data migration ships).

Screenshots land in test-artifacts/screenshots/. With MAINS_DOCS_SCREENSHOTS=1 the ones the
README shows are also written to docs/screenshots/.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the main thread; Django would then refuse
# the ORM calls the tests make between two clicks.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium (make test installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, browser_media):
    """Uploads go to one temporary folder, which the media views read at each request."""
    settings.MEDIA_ROOT = browser_media


class Visitor:
    """One signed-in user in their own browser context, collecting what went wrong."""

    def __init__(self, browser, base_url: str, username: str, phone: bool = False):
        self.base_url = base_url
        self.username = username
        options = (
            {"viewport": PHONE, "is_mobile": True, "has_touch": True}
            if phone
            else {"viewport": DESKTOP}
        )
        self.context = browser.new_context(locale="zh-CN", **options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"JS error: {error}"))
        self.page.on("response", self._check_response)
        self.log_in()

    def _check_response(self, response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def log_in(self) -> None:
        self.go("/accounts/login/")
        self.page.fill("#id_username", self.username)
        self.page.fill("#id_password", "pw-" + self.username)
        self.page.press("#id_password", "Enter")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def path_matches(self, pattern: str) -> bool:
        return re.search(pattern, self.page.url) is not None

    def shoot(self, name: str, docs_name: str | None = None) -> Path:
        """Keep the whole page as an artefact; the visible screen for the README."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        if docs_name and os.environ.get("MAINS_DOCS_SCREENSHOTS") == "1":
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(DOCS_SCREENSHOTS / docs_name))
        return target


@pytest.fixture
def visit(browser, live_server) -> Iterator:
    """visit("anna") → a Visitor signed in as anna; visit("sam", phone=True) on a phone."""
    visitors: list[Visitor] = []

    def open_as(username: str, phone: bool = False) -> Visitor:
        visitor = Visitor(browser, live_server.url, username, phone)
        visitors.append(visitor)
        return visitor

    yield open_as
    problems = [f"{v.username}: {p}" for v in visitors for p in v.problems]
    for visitor in visitors:
        visitor.context.close()
    assert problems == [], "the pages reported errors or failed requests"
