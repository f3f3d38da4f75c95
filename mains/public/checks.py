"""System checks: rate limits that every process shares, or a warning that they are not."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from mains.public.ratelimit import STORES

# Cache backends whose incr() is atomic and seen by every process of every host.
SHARED_ATOMIC_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django_redis.cache.RedisCache",
}
WHY_NOT = {
    "django.core.cache.backends.locmem.LocMemCache": "each process counts on its own",
    "django.core.cache.backends.dummy.DummyCache": "it counts nothing",
    "django.core.cache.backends.filebased.FileBasedCache": "its incr is a read then a write",
    "django.core.cache.backends.db.DatabaseCache": "its incr is a read then a write",
}


@register()
def check_rate_limit_store(app_configs, **kwargs) -> list[CheckMessage]:
    store = settings.RATE_LIMIT_STORE
    if store not in STORES:
        return [
            Error(
                f"RATE_LIMIT_STORE is {store!r}; choose one of {', '.join(sorted(STORES))}.",
                id="public.E001",
            )
        ]
    messages: list[CheckMessage] = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if store == "cache" and backend not in SHARED_ATOMIC_CACHES:
        why = WHY_NOT.get(backend, "it is not known to count atomically across processes")
        messages.append(
            Warning(
                f"The residents' pages count their rate limits in the cache {backend}, but "
                f"{why}: with several workers the limits let more through than they say.",
                hint="Set RATE_LIMIT_STORE=database, or use Redis (REDIS_URL).",
                id="public.W001",
            )
        )
    if "PUBLIC_FAILED_LOOKUPS_PER_DAY_PER_NUMBER" in settings.RETIRED_VARIABLES:
        messages.append(
            Warning(
                "PUBLIC_FAILED_LOOKUPS_PER_DAY_PER_NUMBER is no longer read: tracking no "
                "longer locks an order number.",
                hint="Use PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_IP and "
                "PUBLIC_FAILED_LOOKUPS_PER_HOUR_PER_SESSION.",
                id="public.W002",
            )
        )
    return messages
