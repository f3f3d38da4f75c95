"""Every named route, opened by anonymous and by every role: only those its rule lets in.

The routes come from the URL conf itself, so a new page without a rule in
tests/security/access_rules.py fails here, as does a rule naming a route that is gone.
"""

import json
from http.cookies import SimpleCookie
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from mains.org.roles import Role
from tests.security.access_rules import (
    ADMIN_EXCEPTIONS,
    ADMIN_SAMPLE,
    RULES,
    UNNAMED_ROUTES,
    Rule,
    rule_for,
)
from tests.security.access_world import CAST, World, build_world

ANONYMOUS = "anonymous"
FORMER_ADMIN = "former_admin"  # an administrator whose role was changed to agent


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(name with its namespaces or None, pattern) of every route under the resolver."""
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name, pattern


ROUTES = list(walk(get_resolver()))
NAMED = {name for name, _pattern in ROUTES if name}
CHECKED = sorted(n for n in NAMED if not n.startswith("admin:")) + sorted(
    {*ADMIN_SAMPLE, *ADMIN_EXCEPTIONS}
)


def test_every_named_route_has_an_access_rule():
    missing = sorted(
        f"{name}  ({pattern})" for name, pattern in ROUTES if name and rule_for(name) is None
    )
    assert not missing, (
        "These routes have no access rule; add one to RULES in "
        "tests/security/access_rules.py:\n  " + "\n  ".join(missing)
    )


def test_every_rule_names_a_route_that_exists():
    gone = sorted({*RULES, *ADMIN_EXCEPTIONS, *ADMIN_SAMPLE} - NAMED)
    assert not gone, (
        "tests/security/access_rules.py has rules for routes that no longer exist: "
        + ", ".join(gone)
    )


def test_every_route_outside_the_admin_has_a_name():
    unnamed = {p for name, p in ROUTES if not name and not p.startswith("admin/")}
    assert unnamed == set(UNNAMED_ROUTES), (
        "Name every route (a route without a name escapes the access rules), or list it "
        f"with its reason in UNNAMED_ROUTES: unnamed {sorted(unnamed)}, "
        f"listed {sorted(UNNAMED_ROUTES)}"
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole module, rolled back at its end; each test rolls back its own."""
    root = tmp_path_factory.mktemp("matrix")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with _settings(MEDIA_ROOT=root / "media", TELEMETRY_DIR=root / "telemetry"):
                built = build_world()
                former = built.user("agent").__class__.objects.create_user(
                    "former", password="pw", role=Role.ADMIN
                )
                former.role = Role.AGENT
                former.save()
                built.extra = {FORMER_ADMIN: former}
                built.sessions = {name: _session_of(built.user(name)) for name in _all()}
                yield built, root
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


def _all() -> tuple[str, ...]:
    return (*CAST, FORMER_ADMIN)


def _settings(**values):
    from django.test import override_settings

    return override_settings(**values)


def _session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def matrix(world, db, settings):
    built, root = world
    settings.MEDIA_ROOT = root / "media"
    settings.TELEMETRY_DIR = root / "telemetry"
    cache.clear()
    return built


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
        if who in rule.scoped_out and not (method == "GET" and rule.post_only):
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
    if expected_of_page(rule, who, role, "POST") == "in" and (rule.missing or rule.missing_form):
        method = "POST" if rule.post_only else "GET"
        response = probe.send(who, method, missing=True)
        if response.status_code != rule.missing_answers:
            failures.append(
                f"{who} {method} of a missing object: expected {rule.missing_answers}, "
                f"got {describe(response)}"
            )
    return failures


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
    if probe.world.user(who).role not in rule.roles:
        if not is_json_error(response, 403):
            failures.append(f"{who} {method}: expected 403 JSON, got {describe(response)}")
    elif who in rule.scoped_out:
        failures += same_as_missing(probe, who, method, response, token=True, session=False)
    elif not 200 <= response.status_code < 300:
        failures.append(
            f"{who} {method}: expected to get in, got {describe(response)}: "
            f"{response.content[:200]!r}"
        )
    elif rule.missing:
        missing = probe.send(who, method, missing=True, token=True, session=False)
        if not is_json_error(missing, 404):
            failures.append(
                f"{who} {method} of a missing object: expected 404 JSON, got {describe(missing)}"
            )
    return failures


@pytest.mark.parametrize("name", CHECKED)
def test_only_those_the_rule_lets_in_open_the_route(matrix, name):
    rule = rule_for(name)
    assert rule is not None, f"no rule for {name}"
    args = rule.args(matrix)
    try:
        url = reverse(name, kwargs=args)
    except NoReverseMatch:
        pytest.fail(f"{name}: give its rule the URL's arguments (args=…) of a real object")
    probe = Probe(matrix, name, rule, args)
    principals = [ANONYMOUS, *CAST] + ([FORMER_ADMIN] if rule.kind == "admin_site" else [])
    check = check_token if rule.kind == "token" else check_page
    failures = [failure for who in principals for failure in check(probe, who)]
    assert not failures, f"{name} ({url}):\n  " + "\n  ".join(failures)
