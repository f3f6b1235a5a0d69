"""The client's address as the reverse proxy reports it, for login throttling and the audit trail.

The README's nginx block sends `X-Forwarded-For: $remote_addr`: it replaces whatever the client
sent with the address nginx saw, so the header holds exactly one entry. A proxy that appends
instead (`$proxy_add_x_forwarded_for`) leaves the client's own text on the left and its own
observation on the right. Either way the trustworthy entry is the one the last `TIEJU_PROXY_COUNT`
proxies wrote: counted from the right. django-ipware's proxy count means something else (the
number of proxies *listed* in the header) and returns nothing for nginx's single entry, which is
why tieju reads the header itself.

The header is believed only when the request really comes from a trusted proxy
(`TIEJU_TRUSTED_PROXIES`, by default the loopback addresses gunicorn is bound to); anyone
reaching gunicorn directly is judged by their own address.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address as text; REMOTE_ADDR unless a trusted proxy forwarded the request."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or ""
    count = settings.TIEJU_PROXY_COUNT
    if not count or remote not in settings.TIEJU_TRUSTED_PROXIES:
        return remote
    entries = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(entries) < count:
        return remote
    return _address(entries[-count]) or remote
