"""Reusing what was read or rendered until the database it came from changes.

On PostgreSQL, `pg_current_snapshot()` names exactly which transactions' writes a query sees: the
same text means the same committed data, and any commit or rollback anywhere in the database gives a
new text. Something stored under the snapshot read *before* the queries that made it is therefore
never older than that snapshot (a commit in between only makes it newer), and nothing needs
invalidating: a write anywhere (a progress report, an import, a rename in the admin, a change of
roles, a login or logout) starts new keys, and the old ones age out of the cache.

A GET or HEAD request reads the snapshot once, at its first use (`DataVersionMiddleware`), and what
it reuses is keyed by it: its session, its user with roles and permissions, the menu, the dashboard
and bulletin pages (with a fresh CSRF token in each response).
Nothing is reused, and every read goes to the database as usual, on SQLite (development and the
default test run), on a read replica (a standby's snapshot text does not list every running
transaction), for other methods (they write), for the rest of a GET once it has written, inside a
transaction (its own uncommitted writes are not in the snapshot's text) and when PAGE_CACHE_SECONDS
is 0. The snapshot covers the whole PostgreSQL cluster: other databases' writes only make copies
expire sooner.

The cache is each server process's own memory (settings.CACHES): a key holds the data's version, so
no process can serve another's stale copy.
"""

import contextlib
import contextvars
import hashlib
import secrets

from django.conf import settings
from django.contrib.sessions.backends import db as db_sessions
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

_versions = contextvars.ContextVar("tieju_data_versions", default=None)


WROTE = "wrote"  # in a request's versions once it has written: nothing more is reused in it


class DataVersionMiddleware:
    """Lets a GET or HEAD request read the data's version once and reuse it for all its keys.

    First in MIDDLEWARE. The version is read at its first use, before the data of anything stored
    under it (an authenticated request's first query is its session). A statement that writes ends
    reuse for the rest of the request, so a request never reads a copy older than its own write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        versions = {}

        def watch(execute, sql, params, many, context):
            if not sql.lstrip(" (").upper().startswith("SELECT"):
                versions[WROTE] = True
            return execute(sql, params, many, context)

        token = _versions.set(versions)
        try:
            with contextlib.ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(watch))
                return self.get_response(request)
        finally:
            _versions.reset(token)


def data_version(model):
    """The version of the data reads of `model` see in this request, or None where there is none to
    trust (see the module's doc)."""
    versions = _versions.get()
    if versions is None or WROTE in versions or not settings.PAGE_CACHE_SECONDS:
        return None
    alias = router.db_for_read(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block or not connection.get_autocommit():
        return None
    if alias not in versions:
        with connection.cursor() as cursor:
            # The server's start time joins the snapshot: transaction numbers start again after a restore.
            # A standby's snapshot does not list every transaction still running, so a commit there may
            # leave its text unchanged: nothing is reused from a replica.
            cursor.execute("SELECT pg_current_snapshot()::text || '@' || pg_postmaster_start_time()::text,"
                           " pg_is_in_recovery()")
            version, standby = cursor.fetchone()
        versions[alias] = None if standby else version
    return versions[alias]


def key(name, version, *parts):
    """A cache key for `name` at `version` and `parts` (anything that changes what was stored)."""
    identity = "\n".join([version, *map(str, parts)])
    return f"tieju:{name}:{hashlib.sha256(identity.encode()).hexdigest()}"


def page_key(name, request, model, *parts):
    """The cache key of page part `name` as `request`'s user sees it, or None when it may not be reused.

    The key holds everything the part's output depends on besides the data: the user (their rows,
    roles and permissions are data, so in the version), the language, the exact path and query
    string and `parts` (the date, for deadlines)."""
    version = data_version(model)
    if version is None:
        return None
    return key(name, version, request.user.pk, translation.get_language() or "", request.path,
               request.META.get("QUERY_STRING", ""), *parts)


def reuse(cache_key, compute):
    """`compute()`'s value, stored under `cache_key` for PAGE_CACHE_SECONDS; `cache_key` None computes
    every time. The value must not be None."""
    if cache_key is None:
        return compute()
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, settings.PAGE_CACHE_SECONDS)
    return value


# Where a reused page's CSRF tokens go: each response gets its own masked token (as Django gives every
# response), so a page can be reused without repeating a token. Random per process: no data holds it.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


def reuse_page(cache_key, request, respond):
    """`respond(csrf_token)`'s page, reused under `cache_key` with a fresh CSRF token per response.

    `respond` renders the page with `csrf_token` in its context (None: Django's own). A page is stored
    only if it answered 200 and was not showing messages (a message is shown once)."""
    if cache_key is None or get_messages(request):
        return respond(None)
    html = cache.get(cache_key)
    if html is None:
        response = respond(CSRF_PLACEHOLDER)
        if hasattr(response, "render"):
            response.render()
        if response.streaming:
            raise TypeError("reuse_page cannot keep a streaming response")
        html = response.content.decode(response.charset)
        if response.status_code == 200:
            cache.set(cache_key, html, settings.PAGE_CACHE_SECONDS)
    else:
        response = HttpResponse()
    response.content = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return response


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions, the row reused while the data's version stands (SESSION_ENGINE).

    A login, a logout or any change to a session is a write, so a new version: a deleted session is
    never found in the cache. Expiry is still checked on every request. A session holding an upload
    waiting for confirmation (a roster preview, up to a few MB) is read from the database each time."""

    LARGEST_KEPT = 16 * 1024  # characters of encoded session data

    def _get_session_from_db(self):
        version = data_version(self.model)
        if version is None or not self.session_key:
            return super()._get_session_from_db()
        cache_key = key("session", version, self.session_key)
        cached = cache.get(cache_key)
        if cached is not None:
            session_data, expire_date = cached
            if expire_date > timezone.now():
                return self.model(session_key=self.session_key, session_data=session_data, expire_date=expire_date)
            cache.delete(cache_key)
        session = super()._get_session_from_db()
        if session is not None and len(session.session_data) <= self.LARGEST_KEPT:
            cache.set(cache_key, (session.session_data, session.expire_date), settings.PAGE_CACHE_SECONDS)
        return session
