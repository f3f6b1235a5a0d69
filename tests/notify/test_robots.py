"""Each robot's exact request: body bytes, URL and 钉钉's signature, as received by a real HTTP server."""

import base64
import hashlib
import hmac
import time

from notify.delivery import notify
from notify.models import Channel, Delivery
from notify.robots import dingtalk_sign, dingtalk_url


def test_it_posts_wecom_markdown_to_the_webhook(receiver, wecom, water):
    [delivery] = notify("test:1", water, "【铁军任务通】催办", "逾期 1 项\n- 12. 逾期事项")

    [request] = receiver.received
    assert request["path"] == "/cgi-bin/webhook/send" and request["raw_query"] == "key=wk-123"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    expected = '{"msgtype": "markdown", "markdown": {"content": "### 【铁军任务通】催办\\n逾期 1 项\\n- 12. 逾期事项"}}'
    assert request["body"] == expected.encode("utf-8")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.medium, delivery.recipient, delivery.attempts) == (
        "sent",
        "wecom",
        "水处工作群",
        1,
    )
    assert delivery.answer == 'HTTP 200 {"errcode": 0, "errmsg": "ok"}'


def test_it_posts_dingtalk_markdown_signed_with_the_secret(receiver, dingtalk, water):
    before = int(time.time() * 1000)
    notify("test:2", water, "催办", "第一行\n\n- 第二行")
    after = int(time.time() * 1000)

    [request] = receiver.received
    assert request["path"] == "/robot/send"
    assert request["query"]["access_token"] == ["dt-456"]
    timestamp = request["query"]["timestamp"][0]
    assert before <= int(timestamp) <= after
    # DingTalk's rule, computed here independently: base64(HMAC-SHA256(secret, "timestamp\nsecret")).
    mac = hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(), hashlib.sha256).digest()
    assert request["query"]["sign"] == [base64.b64encode(mac).decode()]
    expected = '{"msgtype": "markdown", "markdown": {"title": "催办", "text": "### 催办\\n\\n第一行\\n\\n- 第二行"}}'
    assert request["body"] == expected.encode("utf-8")
    assert Delivery.objects.get().state == "sent"


def test_it_signs_as_dingtalk_documents():
    # Worked out with: printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
    assert dingtalk_sign("SECabc", 1700000000000) == "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    assert dingtalk_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", timestamp_ms=1700000000000
    ) == (
        "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000"
        "&sign=jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    )


def test_it_leaves_an_unsigned_dingtalk_url_alone(receiver, water):
    Channel.objects.create(
        department=water, kind="dingtalk", name="关键词群", url=f"{receiver.url}/robot/send?access_token=k"
    )
    notify("test:3", water, "催办", "正文")
    assert receiver.received[0]["raw_query"] == "access_token=k"


def test_it_clips_wecom_content_to_4096_bytes(receiver, wecom, water):
    import json

    notify("test:4", water, "催办", "逾期事项" * 2000)
    content = json.loads(receiver.received[0]["body"])["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096 and content.endswith("…")
    assert content.startswith("### 催办\n逾期事项")


def test_it_records_a_refusal_from_the_robot_as_a_failure(receiver, dingtalk, water):
    receiver.answers = [(200, {"errcode": 310000, "errmsg": "sign not match"})]
    [delivery] = notify("test:5", water, "催办", "正文")
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 1 and delivery.sent_at is None
    assert "310000" in delivery.answer and "sign not match" in delivery.answer


def test_it_records_a_server_error_as_a_failure(receiver, wecom, water):
    receiver.answers = [(502, b"<html>bad gateway</html>")]
    [delivery] = notify("test:6", water, "催办", "正文")
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.answer == "HTTP 502 <html>bad gateway</html>"


def test_it_records_an_unreachable_robot_as_a_failure(water, reference):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Channel.objects.create(department=water, kind="wecom", name="断网", url=f"http://127.0.0.1:{port}/send?key=x")
    [delivery] = notify("test:7", water, "催办", "正文")
    delivery.refresh_from_db()
    assert delivery.state == "failed" and "Connection refused" in delivery.answer
