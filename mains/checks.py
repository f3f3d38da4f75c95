"""System checks for dangerous configuration, beside Django's own (`mains check --deploy`).

mains.W001 runs always: a debug page shown beyond this machine is dangerous anywhere. The
others describe a production installation and run with `--deploy`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver", ".localhost"}


def _beyond_this_machine(hosts: list[str]) -> list[str]:
    return [h for h in hosts if h not in LOCAL_HOSTS and not h.endswith(".localhost")]


@register(Tags.security)
def check_debug_stays_local(app_configs, **kwargs) -> list[Warning]:
    public = _beyond_this_machine(settings.ALLOWED_HOSTS)
    if not settings.DEBUG or not public:
        return []
    return [
        Warning(
            f"DEBUG is on and mains answers to {', '.join(public)}: its error pages show "
            "settings, code and residents' data to anyone who reaches them.",
            hint="Set DEBUG=False, or ALLOWED_HOSTS to this machine's names only.",
            id="mains.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs) -> list[Warning]:
    found = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        found.append(
            Warning(
                "SECRET_KEY is the development key written in mains' source: anyone can "
                "forge sessions and tokens with it.",
                hint="Set SECRET_KEY to 50 or more random characters (README: Production "
                "checklist).",
                id="mains.W002",
            )
        )
    base = urlsplit(settings.PUBLIC_BASE_URL)
    if base.scheme != "https" or _beyond_this_machine([base.hostname or ""]) == []:
        found.append(
            Warning(
                f"PUBLIC_BASE_URL is {settings.PUBLIC_BASE_URL}: the notice boards' QR codes "
                "and the residents' tracking links would point there.",
                hint="Set PUBLIC_BASE_URL to the public https:// address of mains.",
                id="mains.W003",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        found.append(
            Warning(
                "ALLOWED_HOSTS accepts any host name: a forged Host header then reaches mains "
                "and the absolute links it builds from the request (caches, proxies).",
                hint="List the names mains is served under.",
                id="mains.W004",
            )
        )
    return found
