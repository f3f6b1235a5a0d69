"""The request being served, so `audit.trail.record()` can find the client's address without a
`request` argument threaded through every service function."""

from contextvars import ContextVar

_request = ContextVar("tieju_audit_request", default=None)


def current_request():
    return _request.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
