"""Validating readers for settings that come from environment variables."""

import os

from django.core.exceptions import ImproperlyConfigured


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw not in ("True", "False", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")
    return raw in ("True", "true", "1")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def envurlpath(name: str, default: str) -> str:
    """A path on this site such as ``/protected-media`` (no trailing slash), or empty."""
    raw = os.environ.get(name, default).strip()
    if raw and (not raw.startswith("/") or raw.startswith("//") or any(c in raw for c in " ?#")):
        raise ImproperlyConfigured(f"{name} must be a path starting with /, not {raw!r}")
    return raw.rstrip("/")


def envcount(name: str, default: int) -> int:
    """A whole number of zero or more."""
    value = envint(name, default)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 or more, not {value}")
    return value


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw
