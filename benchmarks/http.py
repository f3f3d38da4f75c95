"""A tiny HTTP client with cookies and CSRF, for timing pages of a running server."""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class Browser:
    def __init__(self, host: str, port: int):
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
        data = None
        extra = {}
        if body is not None:
            data = urlencode(body, doseq=True)
            extra = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Referer": f"http://{self.conn.host}:{self.conn.port}{path}",
            }
        start = time.perf_counter()
        self.conn.request(method, path, body=data, headers=self._headers(extra))
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, text, elapsed

    def login(self, username: str, password: str) -> None:
        status, text, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        body = {"username": username, "password": password}
        if token:
            body["csrfmiddlewaretoken"] = token.group(1)
        status, _text, _ = self.request("POST", "/accounts/login/", body)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"log-in as {username} failed ({status})")

    def csrf_form_token(self, path: str) -> str:
        _status, text, _ = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        return match.group(1) if match else ""
