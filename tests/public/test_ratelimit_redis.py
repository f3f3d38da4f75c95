"""The counters work the same on Redis (REDIS_URL set), shared by every process."""

import socket
import uuid

import pytest
from django.core.cache import cache

from mains.public.ratelimit import Limit

REDIS = "redis://127.0.0.1:6379/15"


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    if not redis_is_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.RATE_LIMIT_STORE = "cache"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    yield cache


def test_a_redis_counter_refuses_the_hit_past_the_limit_and_expires(redis_cache):
    limit = Limit(f"test-{uuid.uuid4().hex}", 2, 3600)
    assert [limit.hit("203.0.113.7") for _ in range(3)] == [True, True, False]
    assert limit.hit("198.51.100.1"), "another address has its own count"
    key = limit._key("203.0.113.7")
    client = redis_cache._cache.get_client(key)
    assert 0 < client.ttl(redis_cache.make_and_validate_key(key)) <= 3600 + 60
    redis_cache.delete_many([key, limit._key("198.51.100.1")])
