"""The request being served, so `audit.trail.record()` can find the client's address without a
`request` argument threaded through every service function; and the management command being run,
for events a command causes deep inside Django (a password set by `changepassword`)."""

from contextlib import contextmanager
from contextvars import ContextVar

_request = ContextVar("tieju_audit_request", default=None)
_command = ContextVar("tieju_audit_command", default="")


def current_request():
    return _request.get()


def current_command():
    """The name of the management command running (e.g. "changepassword"), or ""."""
    return _command.get()


@contextmanager
def running_command(name):
    token = _command.set(name)
    try:
        yield
    finally:
        _command.reset(token)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
