"""`make load`'s users (run by bench/load.py, which prepares the data and checks the journal afterwards).

70 % dashboard and its filters, 20 % requirement page and a progress report, 10 % bulletin. Each user
is a staff member with requirements to report on. Every HTTP exchange is recorded on its own
(redirects are not followed) with the answer it must get; anything else is an error. Each progress
report carries a unique note `<LOAD_RUN>-<hex>`; when the run stops, every request, every report's
outcome and every task exception are written to LOAD_RESULT_FILE for bench/load.py to summarise and
to look up in the journal.
"""

import itertools
import json
import os
import random
import time
import uuid
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

from bench.htmlform import form_fields

ACCOUNTS = json.loads(os.environ["LOAD_ACCOUNTS"])
FILTERS = json.loads(os.environ["LOAD_FILTERS"])
REQUIREMENT_URL = os.environ["LOAD_REQUIREMENT_URL"]  # with {pk}
REPORT_URL = os.environ["LOAD_REPORT_URL"]  # with {pk}
BULLETIN_URL = os.environ["LOAD_BULLETIN_URL"]
RUN = os.environ["LOAD_RUN"]
# What nginx in front of gunicorn would wait before answering 504 (proxy_read_timeout in the README's config).
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "90"))
# As nginx forwards a request: TLS ended at the proxy, Host without the port. A browser's Referer and
# Origin then name https://127.0.0.1, which the CSRF check compares with that Host.
ORIGIN = "https://127.0.0.1"
PROXY = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}

exchanges = []  # [name, status, milliseconds, error or None, start time]
reports = {}  # note -> [requirement pk, outcome]: accepted, conflict, or failed (answer unknown or wrong)
_accounts = itertools.cycle(ACCOUNTS)


@events.request.add_listener
def _record(name, response_time, response, exception, start_time, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    exchanges.append([name, status, response_time, str(exception) if exception else None, start_time])


@events.user_error.add_listener
def _record_exception(user_instance, exception, tb, **kwargs):
    # A task that raises has not done what it should: an error like any failed request.
    exchanges.append(["task exception", 0, 0, f"{type(exception).__name__}: {exception}", time.time()])


@events.quitting.add_listener
def _write_result(environment, **kwargs):
    with open(os.environ["LOAD_RESULT_FILE"], "w") as out:
        json.dump({"exchanges": exchanges, "reports": reports}, out)


class Official(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        # Round-robin, so every account carries about the same number of users.
        self.account = next(_accounts)
        self.client.headers.update(PROXY)
        self.client.cookies.set("sessionid", self.account["session"])

    def _get(self, url, name, expect=200, check=None):
        """The response if it is `expect` and passes `check` (which returns what is wrong, or None)."""
        with self.client.get(url, name=name, allow_redirects=False, timeout=TIMEOUT, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(_unexpected(response, expect))
                return None
            problem = check(response) if check else None
            if problem:
                response.failure(problem)
                return None
            return response

    @task(70)
    def dashboard(self):
        params = random.choice(FILTERS)
        if params:
            self._get("/?" + urlencode(params), "dashboard (filtered)")
            return
        # Staff land on their department's dashboard: a redirect, then that page, as a browser sees it.
        landing = self._get(
            "/",
            "dashboard landing (302)",
            expect=302,
            check=lambda r: None if r.headers["Location"].startswith("/?department=") else _unexpected(r, 302),
        )
        if landing:
            self._get(landing.headers["Location"], "dashboard (filtered)")

    @task(20)
    def requirement_and_report(self):
        pk = random.choice(self.account["writable"])
        page_url, report_url = REQUIREMENT_URL.format(pk=pk), REPORT_URL.format(pk=pk)
        fields = {}

        def has_form(response):
            fields.update(form_fields(response.text, report_url) or {})
            return None if fields else "no progress report form on a requirement the user reports on"

        if not self._get(page_url, "requirement page", check=has_form):
            return
        note = f"{RUN}-{uuid.uuid4().hex}"
        # What an official types; status, period, version and the CSRF token stay as the page gave them.
        fields.update(
            status=random.choice(["in_progress", "in_progress", "blocked"]),
            progress=str(random.randint(1, 99)),
            note=note,
        )
        reports[note] = [pk, "failed"]
        with self.client.post(
            report_url,
            data=fields,
            # The form is multipart (it takes evidence); a browser sends the empty file part too.
            files={"files": ("", b"", "application/octet-stream")},
            headers={"Referer": ORIGIN + page_url, "Origin": ORIGIN},
            name="progress report",
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers["Location"] == page_url:
                reports[note][1] = "accepted"
            elif response.status_code == 409:
                # Another user saved first and the form came back with the newer figures: refused on
                # purpose, not an error, and not an accepted report either.
                reports[note][1] = "conflict"
                response.success()
            else:
                response.failure(_unexpected(response, 302))

    @task(10)
    def bulletin(self):
        self._get(BULLETIN_URL, "bulletin")


def _unexpected(response, expect):
    if response.status_code == 0:
        return f"no answer ({type(response.error).__name__})"
    where = response.headers.get("Location")
    return f"answered {response.status_code}" + (f" → {where}" if where else "") + f", expected {expect}"
