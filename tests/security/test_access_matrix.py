"""Every named route, opened by anonymous and by every role: only those its rule lets in.

The routes come from the URL conf itself, so a new page without a rule in
tests/security/access_rules.py fails here, as does a rule naming a route that is gone.
"""

from collections.abc import Iterator
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from mains.org.models import User
from mains.org.roles import Role
from tests.security.access_probe import ANONYMOUS, FORMER_ADMIN, Probe, check_page, check_token
from tests.security.access_rules import (
    ADMIN_EXCEPTIONS,
    ADMIN_SAMPLE,
    RULES,
    UNNAMED_ROUTES,
    rule_for,
)
from tests.security.access_world import CAST, build_world


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
    files = override_settings(MEDIA_ROOT=root / "media", TELEMETRY_DIR=root / "telemetry")
    with django_db_blocker.unblock(), files:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            for name in (*CAST, FORMER_ADMIN):
                client = Client()
                client.force_login(built.user(name))
                built.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield built, root
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def matrix(world, db, settings):
    built, root = world
    # The conftest gives each test a media folder of its own; the world's files are here.
    settings.MEDIA_ROOT = root / "media"
    settings.TELEMETRY_DIR = root / "telemetry"
    cache.clear()
    return built


@pytest.mark.parametrize("name", CHECKED)
def test_only_those_the_rule_lets_in_open_the_route(matrix, name):
    rule = rule_for(name)
    assert rule is not None, (
        f"no rule for {name}: add one to RULES in tests/security/access_rules.py"
    )
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


# The world of the matrix lives until the module ends: the tests below use it, not `city`.


def test_an_administrator_whose_role_changes_loses_the_django_admin(matrix):
    for changed in ({}, {"update_fields": ["role"]}):
        user = User.objects.create_user(f"old{len(changed)}", role=Role.ADMIN)
        assert user.is_staff and user.is_superuser
        user.role = Role.MANAGER
        user.save(**changed)
        user.refresh_from_db()
        assert not user.is_staff and not user.is_superuser


def test_createsuperuser_makes_an_administrator(matrix, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-password-1")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@x.cn")
    user = User.objects.get(username="root")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


def test_the_upgrade_takes_the_admin_from_users_who_are_no_longer_administrators(matrix):
    city = matrix.city
    User.objects.filter(pk=city.manager.pk).update(is_staff=True, is_superuser=True)
    User.objects.filter(pk=city.admin.pk).update(is_staff=False)
    migration = import_module("mains.org.migrations.0004_admin_rights_follow_role")
    migration.follow_role(django_apps, None)
    rights = dict(User.objects.values_list("username", "is_superuser"))
    assert {name for name, superuser in rights.items() if superuser} == {"ada"}
    assert User.objects.get(pk=city.admin.pk).is_staff
