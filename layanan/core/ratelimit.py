"""The one attempt counter behind every "too many tries" limit (tracking look-ups, claims, ...).

``count_attempt(key, window_seconds)`` adds one try to ``key`` and returns how many there were in
the current window; ``attempts(key)`` reads it. Keys are hashed, so the cache holds no address,
reference or user id in clear.

The counter lives in Django's cache: ``add`` then ``incr``, which Redis (the production cache,
``CACHE_URL=redis://…``) does atomically across processes. The embedded default, a file-based
cache, is good enough for a single office but not a security boundary: its ``incr`` is a read and
a write, and it culls a third of its entries once it holds ``MAX_ENTRIES``, so counts can be lost.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

_PREFIX = "ratelimit:"


def _key(key: str) -> str:
    return _PREFIX + hashlib.sha256(key.encode()).hexdigest()


def count_attempt(key: str, *, window_seconds: int) -> int:
    """One more try under ``key`` (the window starts with the first try); the count, from 1."""
    stored = _key(key)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _count_on_redis(backend, stored, window_seconds)
    cache.add(stored, 0, timeout=window_seconds)
    try:
        return int(cache.incr(stored))
    except ValueError:  # expired between add and incr
        cache.set(stored, 1, timeout=window_seconds)
        return 1


def _count_on_redis(backend: RedisCache, stored: str, window_seconds: int) -> int:
    """``SET NX EX`` and ``INCR`` in one round trip (Django's ``add`` + ``incr`` take three)."""
    redis_key = backend.make_and_validate_key(stored)
    client = backend._cache.get_client(redis_key, write=True)
    pipeline = client.pipeline()
    pipeline.set(redis_key, 0, ex=window_seconds, nx=True)
    pipeline.incr(redis_key)
    _created, count = pipeline.execute()
    return int(count)


def attempts(key: str) -> int:
    """Tries counted under ``key`` in its current window."""
    return int(cache.get(_key(key), 0))
