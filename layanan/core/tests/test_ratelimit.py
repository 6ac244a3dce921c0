from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache

from layanan.core.ratelimit import attempts, count_attempt


def test_counts_tries_per_key_within_the_window() -> None:
    with time_machine.travel("2026-11-23 10:00:00", tick=False):
        assert [count_attempt("track|1.2.3.4|PBG", window_seconds=600) for _ in range(3)] == [1, 2, 3]
        assert count_attempt("track|5.6.7.8|PBG", window_seconds=600) == 1
        assert attempts("track|1.2.3.4|PBG") == 3
        assert attempts("never") == 0


def test_the_cache_holds_no_key_in_clear() -> None:
    count_attempt("claim|user 42", window_seconds=60)
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys
    assert not any("user 42" in str(key) for key in keys)


def _redis_reachable() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_on_redis_one_round_trip_counts_and_expires() -> None:
    import time

    from django.core.cache import caches
    from django.test import override_settings

    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    with override_settings(CACHES=redis):
        caches["default"].clear()
        try:
            assert [count_attempt("redis-key", window_seconds=1) for _ in range(3)] == [1, 2, 3]
            assert attempts("redis-key") == 3
            time.sleep(1.1)
            assert count_attempt("redis-key", window_seconds=1) == 1
        finally:
            caches["default"].clear()
