"""`make load`'s users (run by bench/load.py, which prepares the data and checks the journal afterwards).

70 % dashboard and its filters, 20 % requirement page and progress reports, 10 % bulletin.
A page whose URL is not in the URLconf yet (LOAD_*_URL empty) is reported as absent, not hit.
Every progress report carries a unique token in its note; the accepted ones (answered with
a redirect) are written to LOAD_ACCEPTED_FILE when the run stops, for bench/load.py to find
in the journal.
"""

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(os.environ.get("LOAD_ACCOUNTS", "[]"))
FILTERS = json.loads(os.environ.get("LOAD_FILTERS", "[]"))
REQUIREMENT_URL = os.environ.get("LOAD_REQUIREMENT_URL", "")  # with {pk}
REPORT_URL = os.environ.get("LOAD_REPORT_URL", "")  # with {pk}
BULLETIN_URL = os.environ.get("LOAD_BULLETIN_URL", "")
PROXY = {"X-Forwarded-Proto": "https"}
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

accepted, refused = [], []
absent = set()


class Official(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = random.choice(ACCOUNTS)
        self.client.headers.update(PROXY)
        self.client.cookies.set("sessionid", self.account["session"])

    @task(70)
    def dashboard(self):
        params = random.choice(FILTERS)
        self.client.get("/", params=params, name="dashboard" + (" (filtered)" if params else ""))

    @task(20)
    def requirement_and_report(self):
        if not (REQUIREMENT_URL and self.account["writable"]):
            absent.add("requirement page / progress report (tasks:requirement-detail, tasks:progress-report)")
            return
        pk = random.choice(self.account["writable"])
        page = self.client.get(REQUIREMENT_URL.format(pk=pk), name="requirement page")
        version, token = VERSION.search(page.text), CSRF.search(page.text)
        if not (REPORT_URL and version and token):
            absent.add("progress report form (no version/csrf field on the requirement page)")
            return
        note = f"load-{uuid.uuid4().hex}"
        fields = {
            "status": random.choice(["in_progress", "in_progress", "blocked"]),
            "progress": random.randint(1, 99),
            "note": note,
            "version": version.group(1) or version.group(2),
            "csrfmiddlewaretoken": token.group(1),
        }
        url = REPORT_URL.format(pk=pk)
        with self.client.post(
            url, data=fields, name="progress report", allow_redirects=False, catch_response=True,
            headers={"Referer": "https://127.0.0.1" + REQUIREMENT_URL.format(pk=pk)},
        ) as response:
            if response.status_code in (302, 303):
                accepted.append(note)
                response.success()
            elif response.status_code in (200, 409):
                # The form shown again: a stale version (another user saved first) is refused
                # on purpose, so this is not an error, but neither is it an accepted report.
                response.success()
                refused.append(note)
            else:
                response.failure(f"progress report answered {response.status_code}")

    @task(10)
    def bulletin(self):
        if not BULLETIN_URL:
            absent.add("bulletin (metrics:bulletin)")
            return
        self.client.get(BULLETIN_URL, name="bulletin")


@events.quitting.add_listener
def _write_accepted(environment, **kwargs):
    path = os.environ.get("LOAD_ACCEPTED_FILE")
    if path:
        with open(path, "w") as out:
            json.dump({"accepted": accepted, "refused": len(refused), "absent": sorted(absent)}, out)
