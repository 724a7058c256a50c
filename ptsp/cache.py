"""Django's Redis cache backend, with one redis-py client per connection pool.

Django builds a new ``redis.Redis`` for every cache call; its constructor fills
a table of response callbacks, about 45 µs of CPU each time, a third of what a
page served from the cache costs over a trivial view (issue 17,
``bench/findings.md`` section 6). A ``redis.Redis`` is thread-safe and owns no
connection (its pool does), so the same one serves every call. Everything else
is Django's ``RedisCache``.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        # Pools live as long as this object (``_pools``): their ids are stable.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` reusing its client."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
