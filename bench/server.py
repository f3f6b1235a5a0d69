"""gunicorn on loopback and wrk against it."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

from bench.environment import ROOT


def _free_port():
    """A port nothing listens on (other people's servers may share this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT") or _free_port())
# Like nginx: TLS ends at the proxy, which says so; the production settings then serve plain HTTP.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


class Gunicorn:
    """One gunicorn for the whole run: both sides of every ratio hit the same server and settings."""

    def __init__(self, env, workers, log=None):
        self.env = dict(
            env,
            GUNICORN_BIND=f"{HOST}:{PORT}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS="1",
            GUNICORN_ACCESS_LOG="off",
            GUNICORN_LOG_LEVEL="warning",
            GUNICORN_MAX_REQUESTS="0",
            GUNICORN_PRELOAD="true",
        )
        self.workers = workers
        self.log = log  # a path for gunicorn's output (Django's log included), else the terminal
        self.process = None

    def __enter__(self):
        output = open(self.log, "w") if self.log else None
        self.process = subprocess.Popen(
            [self.env.get("BENCH_PYTHON", os.sys.executable), "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=output,
            stderr=output,
        )
        if output:
            output.close()  # gunicorn holds its own copy
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start-up")
            try:
                if fetch("/_bench/hello/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        # Every worker renders a page once (templates compiled, connections open) before anything is measured.
        wrk("/_bench/hello/", seconds=2, connections=self.workers * 2)
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def fetch(path, cookie=None):
    """(status, body) of one GET, without following redirects: a login redirect must not pass for a page."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    headers = dict(PROXY_HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def location(path, cookie=None):
    """Where a redirect from path points (path only)."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    connection.request("GET", path, headers=dict(PROXY_HEADERS, Cookie=cookie or ""))
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("Location")


def wrk(path, *, cookie=None, seconds, connections):
    """Requests per second of `wrk` on one URL, or rotating over a list of them (a Lua script gives each
    request the next path); fails on any non-2xx answer."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    for name, value in PROXY_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if isinstance(path, str):
            target = path
        else:
            script.write(_ROTATE.replace("PATHS", ", ".join(json.dumps(p) for p in path)))
            script.flush()
            command += ["-s", script.name]
            target = path[0]
        output = subprocess.run(
            command + [f"http://{HOST}:{PORT}{target}"], capture_output=True, text=True, check=True
        ).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors on {path}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return rps, requests


# wrk's request hook: each request the next of the paths, round and round (wrk.format keeps the -H headers).
_ROTATE = """
local paths = {PATHS}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""
