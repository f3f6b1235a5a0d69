"""Logging filters (kept apart from the middleware: logging is configured before apps load)."""

import logging


class ClientErrorsOneLine(logging.Filter):
    """django.request logs a 403 with its traceback (PermissionDenied's exc_info): keep the line,
    drop the traceback, for every 4xx. Server errors (5xx) keep theirs."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
