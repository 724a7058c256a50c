"""Whole public pages from the cache for anonymous visitors (issue 17).

``@public_page(params={...}, stamps=(...))`` on a GET view: an anonymous
visitor without pending messages gets the rendered page from Django's cache
(``CACHES[PAGE_CACHE_ALIAS]``: Redis in production and CI), stored per
(path, allowed query parameters, language). Each entry remembers the stamps
it was rendered under; a stamp is a random token in the same cache that
``stamp_bump()`` replaces after the commit of any change to what the page
shows (``agencies.apps`` and ``transparency.aggregates`` bump them), so an
edit in the admin shows on the next request. ``PAGE_CACHE_SECONDS`` bounds
the life of an entry (a deploy with new templates shows within it; ``migrate``
also bumps every stamp).

Never from or into the cache: logged-in users (their pages say
``Cache-Control: private``), requests with pending messages, query parameters
the view did not declare or that do not match their pattern, HTMX requests,
and responses that set a cookie, used a CSRF token or a CSP nonce, touched the
session, or that the view marked ``private``/``no-store`` (e.g. a filter with
an unknown value). The cached pages carry no CSRF token: the language switch
(``accounts.language``) needs none for anonymous visitors.

A hit costs one cache round trip (``get_many`` of the entry and its stamps)
and no database query. With the cache down the pages are rendered as if
nothing were cached (logged), and a catalogue edit still saves (its stamp
bump is logged as failed; entries that survive the outage may then be stale
for up to ``PAGE_CACHE_SECONDS``).
"""

import functools
import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

STAMP_KEY = "pages:stamp:%s"
PAGE_KEY = "pages:page:%s"
#: Every stamp a page may depend on; ``stamp_bump_all()`` replaces them all.
#: Every page depends on ``site`` (bumped with the others by ``migrate``).
STAMPS = ("site", "catalogue", "transparency")
#: Private directive values: a response carrying one is never stored.
_NOT_SHARED = re.compile(r"\b(private|no-store|no-cache)\b")


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def stamp_bump(*names: str) -> None:
    """Give each named stamp a new random value now: every cached page
    rendered under the old value is stale (it is replaced when next asked)."""
    try:
        _cache().set_many({STAMP_KEY % n: uuid.uuid4().hex for n in names}, None)
    except Exception:
        logger.exception("Page cache: stamps %s not bumped (cache down?)", names)


def stamp_bump_all() -> None:
    stamp_bump(*STAMPS)


def stamp_bump_on_commit(name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump ``name`` now and again once the current transaction commits (only
    now outside one). The second bump is the one that counts: a page rendered
    from the data before the commit may have been stored under the first. A
    transaction queues one commit bump however many rows it writes."""
    stamp_bump(name)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    callback = _bumper(name)
    if any(queued[1] is callback for queued in connection.run_on_commit):
        return
    transaction.on_commit(callback, using=using)


@functools.cache
def _bumper(name: str) -> Callable[[], None]:
    return functools.partial(stamp_bump, name)


def stamp_current(name: str) -> str | None:
    """The current value of stamp ``name`` (created when missing), for
    fragments cached under it: read it before the data the fragment shows.
    ``None`` when the cache does not answer (cache nothing then)."""
    key = STAMP_KEY % name
    try:
        value = _cache().get(key)
        if value is None:
            _cache().add(key, uuid.uuid4().hex, None)
            value = _cache().get(key)
    except Exception:
        logger.warning("Page cache: stamp %s unreadable (cache down?)", name)
        return None
    return value


def _stamps(values: dict, names: Iterable[str]) -> tuple[str, ...] | None:
    """The current values of ``names`` from a ``get_many`` answer; missing
    stamps (a new or flushed cache) are created, and ``None`` says the page
    cannot be served from the cache this time."""
    missing = {
        STAMP_KEY % name: uuid.uuid4().hex
        for name in names
        if STAMP_KEY % name not in values
    }
    if missing:
        for key, value in missing.items():
            _cache().add(key, value, None)  # a concurrent creator wins
        return None
    return tuple(values[STAMP_KEY % name] for name in names)


def _query_key(request: HttpRequest, params: dict[str, re.Pattern]) -> str | None:
    """``agency=DINKES&category=permit`` (sorted), or ``None`` when the query
    has another parameter, a repeated one or a value off its pattern."""
    parts = []
    for name in request.GET:
        values = request.GET.getlist(name)
        pattern = params.get(name)
        if pattern is None or len(values) != 1:
            return None
        if values[0] and not pattern.fullmatch(values[0]):
            return None
        parts.append(f"{name}={values[0]}")
    return "&".join(sorted(parts))


def _eligible(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE_SECONDS > 0
        and not request.user.is_authenticated
        and "HX-Request" not in request.headers
        and not len(get_messages(request))
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    nonce = getattr(request, "_csp_nonce", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _NOT_SHARED.search(response.get("Cache-Control", ""))
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not nonce
        and not (session is not None and session.modified)
        and not len(get_messages(request))
    )


def _public(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    return response


def public_page(
    *, params: dict[str, str] | None = None, stamps: Iterable[str] = ("catalogue",)
) -> Callable:
    """Decorate a public GET view whose page is the same for every anonymous
    visitor in one language. ``params`` maps each query parameter the page
    may be cached for to a regular expression its value must match in full
    (anything else is rendered and not stored); ``stamps`` are the names
    (``STAMPS``) whose bump makes the page stale, besides ``site``."""
    patterns = {name: re.compile(rx) for name, rx in (params or {}).items()}
    names = ("site", *stamps)
    unknown = set(names) - set(STAMPS)
    if unknown:
        raise ValueError(f"Unknown page stamps: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _eligible(request):
                response = view(request, *args, **kwargs)
                if request.user.is_authenticated:
                    patch_cache_control(response, private=True)
                return response
            query = _query_key(request, patterns)
            if query is None:
                return view(request, *args, **kwargs)
            digest = hashlib.sha256(
                f"{get_language()}|{request.path}|{query}".encode()
            ).hexdigest()
            page_key = PAGE_KEY % digest
            stamp_keys = [STAMP_KEY % name for name in names]
            try:
                found = _cache().get_many([page_key, *stamp_keys])
                current = _stamps(found, names)
            except Exception:
                logger.warning("Page cache: not answering (cache down?)")
                return view(request, *args, **kwargs)
            entry = found.get(page_key)
            if current is not None and entry is not None and entry[0] == current:
                _stamps_seen, content_type, etag, content = entry
                response = HttpResponse(content, content_type=content_type)
                response["ETag"] = etag
                response = (
                    get_conditional_response(request, etag=etag, response=response)
                    or response
                )
                return _public(response)
            response = view(request, *args, **kwargs)
            if current is None or not _storable(request, response):
                return response
            set_response_etag(response)
            entry = (current, response["Content-Type"], response["ETag"])
            try:
                _cache().set(
                    page_key, (*entry, response.content), settings.PAGE_CACHE_SECONDS
                )
            except Exception:
                logger.warning("Page cache: page not stored (cache down?)")
            return _public(response)

        return wrapper

    return decorator
