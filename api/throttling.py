"""Request rates read from the settings on each request (DRF's own classes read them once at import)."""

from django.conf import settings
from rest_framework import throttling


class UserThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return settings.TIEJU_API_RATE_USER


class AnonymousThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return settings.TIEJU_API_RATE_ANONYMOUS
