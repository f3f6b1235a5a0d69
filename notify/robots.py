"""The two group robots' message formats and the one HTTP POST that carries them.

企业微信群机器人: POST JSON to the webhook (…/cgi-bin/webhook/send?key=…), markdown content of at most
4,096 bytes; answers {"errcode": 0, "errmsg": "ok"}.
钉钉自定义机器人: POST JSON to the webhook (…/robot/send?access_token=…); with 加签 the URL also carries
timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")));
answers {"errcode": 0, "errmsg": "ok"}.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

WECOM_MAX_BYTES = 4096
DINGTALK_MAX_BYTES = 18000  # the documented limit is 20,000 bytes for the whole body
ANSWER_MAX_CHARS = 2000


@dataclass(frozen=True)
class Outcome:
    ok: bool
    answer: str


def _clip(text, limit):
    """The text cut to at most `limit` UTF-8 bytes on a character boundary, marked with … when cut."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - len("…".encode())].decode("utf-8", errors="ignore") + "…"


def wecom_payload(subject, body):
    content = f"### {subject}\n{body.strip()}"
    return {"msgtype": "markdown", "markdown": {"content": _clip(content, WECOM_MAX_BYTES)}}


def dingtalk_payload(subject, body):
    # DingTalk's markdown joins single line breaks; a blank line between lines keeps each on its own.
    lines = [line for line in body.strip().splitlines() if line.strip()]
    text = f"### {subject}\n\n" + "\n\n".join(lines)
    return {"msgtype": "markdown", "markdown": {"title": subject[:60], "text": _clip(text, DINGTALK_MAX_BYTES)}}


def dingtalk_sign(secret, timestamp_ms):
    """The 加签 value for the URL, already url-encoded as DingTalk's documentation computes it."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(url, secret, *, timestamp_ms=None):
    if not secret:
        return url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def request_for(channel, subject, body):
    """(url, JSON bytes) for posting subject and body to the channel in its robot's format."""
    if channel.kind == "dingtalk":
        url, payload = dingtalk_url(channel.url, channel.secret), dingtalk_payload(subject, body)
    else:
        url, payload = channel.url, wecom_payload(subject, body)
    return url, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def post(channel, subject, body):
    """Post to the robot; ok only for HTTP 200 with errcode 0. Never raises for network or server trouble."""
    url, data = request_for(channel, subject, body)
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.TIEJU_NOTIFY_TIMEOUT_SECONDS) as response:
            status, text = response.status, response.read(ANSWER_MAX_CHARS * 4).decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        text = error.read(ANSWER_MAX_CHARS * 4).decode("utf-8", errors="replace")
        return Outcome(False, f"HTTP {error.code} {text}"[:ANSWER_MAX_CHARS])
    except (urllib.error.URLError, OSError, ValueError) as error:
        # ValueError: a URL urllib cannot use (the admin form validates, but data may predate it).
        reason = getattr(error, "reason", error)
        return Outcome(False, f"{type(error).__name__}: {reason}"[:ANSWER_MAX_CHARS])
    answer = f"HTTP {status} {text}"[:ANSWER_MAX_CHARS]
    try:
        errcode = json.loads(text).get("errcode")
    except (ValueError, AttributeError):
        return Outcome(False, answer)
    return Outcome(status == 200 and errcode == 0, answer)
