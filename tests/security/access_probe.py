"""Requests to one route as each principal, and what each must get under its rule."""

import json
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.access_rules import Rule
from tests.security.access_world import World

ANONYMOUS = "anonymous"
FORMER_ADMIN = "former_admin"  # an administrator whose role was changed to agent


CLIENT = Client(raise_request_exception=False)


@dataclass
class Probe:
    """Requests to one route; each rolled back, so the next one finds the world as it was."""

    world: World
    name: str
    rule: Rule
    args: dict
    rendered_for: str | None = None  # the one let in who renders a costly page

    def send(self, who: str, method: str, missing=False, token=False, session=True):
        rule, world = self.rule, self.world
        client = CLIENT  # one handler: a new Client would load the middleware again
        client.cookies = SimpleCookie()
        if who != ANONYMOUS and session:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[who]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[who]}"} if token else {}
        url = reverse(self.name, kwargs=rule.missing if missing and rule.missing else self.args)
        if method == "GET":
            call = lambda: client.get(url, **headers)  # noqa: E731
        elif rule.kind == "token":
            body = json.dumps(rule.body(world) if rule.body else {})
            call = lambda: client.post(url, body, content_type="application/json", **headers)  # noqa: E731
        else:
            form = rule.form(world) if rule.form else {}
            if missing and rule.missing_form:
                form = rule.missing_form
            call = lambda: client.post(url, form, **headers)  # noqa: E731
        with transaction.atomic():
            response = call()
            transaction.set_rollback(True)
        return response


def describe(response) -> str:
    text = str(response.status_code)
    if response.status_code in (301, 302):
        text += f" → {response['Location']}"
    exc = getattr(response, "exc_info", None)
    if exc and exc[1] is not None:
        text += f" ({exc[0].__name__}: {exc[1]})"
    return text


def redirects_to(response, page: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(page + "?next=")


def is_json_error(response, status: int, code: str | None = None) -> bool:
    if response.status_code != status:
        return False
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    body = response.json()
    return "detail" in body and (code is None or body.get("error") == code)


def is_in(response, method: str) -> bool:
    """Neither refused nor failed; an empty POST may be answered with the form's errors."""
    if method == "GET":
        return response.status_code < 400
    return response.status_code < 500 and response.status_code not in (401, 403, 404)


def expected_of_page(rule: Rule, who: str, role: str | None, method: str) -> str | int:
    """What `who` must get: a status, "login", "in" (no refusal, no error) or "as missing"."""
    if rule.kind != "public":
        if who == ANONYMOUS or (rule.kind == "admin_site" and role not in rule.roles):
            return "login"
        if role not in rule.roles:
            return 403
        if who in rule.scoped_out and not rule.hides and not (method == "GET" and rule.post_only):
            return "as missing"
    if method == "GET":
        return 405 if rule.post_only else (rule.answers or "in")
    return rule.post_answers or "in"


def check_page(probe: Probe, who: str) -> list[str]:
    rule = probe.rule
    role = None if who == ANONYMOUS else probe.world.user(who).role
    login = reverse("admin:login" if rule.kind == "admin_site" else "login")
    failures = []
    for method in ("GET", "POST") if rule.post_only or rule.takes_forms else ("GET",):
        expected = expected_of_page(rule, who, role, method)
        if expected == "in" and rule.costly:
            if probe.rendered_for not in (None, who):
                continue
            probe.rendered_for = who
        response = probe.send(who, method)
        if expected == "as missing":
            failures += same_as_missing(probe, who, method, response)
            continue
        if expected == "login":
            ok = redirects_to(response, login)
        elif expected == "in":
            ok = is_in(response, method) and not redirects_to(response, login)
        else:
            ok = response.status_code == expected
        if not ok:
            wanted = {"login": f"a redirect to {login}", "in": "to get in"}.get(
                str(expected), expected
            )
            failures.append(f"{who} {method}: expected {wanted}, got {describe(response)}")
        elif expected == "in":
            failures += shows_nothing_not_theirs(probe, who, method, response)
    if expected_of_page(rule, who, role, "POST") == "in" and (rule.missing or rule.missing_form):
        method = "POST" if rule.post_only else "GET"
        response = probe.send(who, method, missing=True)
        if response.status_code != rule.missing_answers:
            failures.append(
                f"{who} {method} of a missing object: expected {rule.missing_answers}, "
                f"got {describe(response)}"
            )
    return failures


def shows_nothing_not_theirs(probe: Probe, who: str, method: str, response) -> list[str]:
    """A list let in to someone scoped out of an object must not show it."""
    if who not in probe.rule.scoped_out or probe.rule.hides is None:
        return []
    hidden = probe.rule.hides(probe.world)
    if hidden in response.content.decode(errors="replace"):
        return [f"{who} {method}: shows {hidden!r}, which is not theirs"]
    return []


def same_as_missing(probe: Probe, who: str, method: str, response, **how) -> list[str]:
    rule = probe.rule
    if rule.missing is None and rule.missing_form is None:
        return [f"the rule scopes {who} out but names no missing object to compare with"]
    missing = probe.send(who, method, missing=True, **how)
    if missing.status_code != rule.missing_answers or response.content != missing.content:
        return [
            f"{who} {method} of an object not theirs: expected the answer to a missing one "
            f"({describe(missing)}), got {describe(response)}"
        ]
    return []


def check_token(probe: Probe, who: str) -> list[str]:
    rule = probe.rule
    method = "POST" if rule.body else "GET"
    failures = []
    response = probe.send(who, method)
    if not is_json_error(response, 401, "unauthorized"):
        how = "without a token" if who == ANONYMOUS else "with a session but no token"
        failures.append(f"{who} {method} {how}: expected 401 JSON, got {describe(response)}")
    if who == ANONYMOUS:
        return failures
    response = probe.send(who, method, token=True, session=False)
    if who in rule.scoped_out and not rule.hides:
        # Scoped out of the object, whatever the role: the answer to a missing one.
        failures += same_as_missing(probe, who, method, response, token=True, session=False)
    elif probe.world.user(who).role not in rule.roles:
        if not is_json_error(response, 403):
            failures.append(f"{who} {method}: expected 403 JSON, got {describe(response)}")
    elif rule.answers:
        if not is_json_error(response, rule.answers):
            failures.append(
                f"{who} {method}: expected {rule.answers} JSON, got {describe(response)}"
            )
    elif not 200 <= response.status_code < 300:
        failures.append(
            f"{who} {method}: expected to get in, got {describe(response)}: "
            f"{response.content[:200]!r}"
        )
    else:
        failures += shows_nothing_not_theirs(probe, who, method, response)
    let_in = 200 <= response.status_code < 300 or (
        rule.answers is not None and response.status_code == rule.answers
    )
    if let_in and rule.missing:
        missing = probe.send(who, method, missing=True, token=True, session=False)
        if not is_json_error(missing, 404):
            failures.append(
                f"{who} {method} of a missing object: expected 404 JSON, got {describe(missing)}"
            )
    return failures
