"""The fields a browser would submit from one form of a page, for `make load`'s progress reports.

Kept apart from bench/locustfile.py so a test can check it against the real requirement page
without importing locust (which monkey-patches the standard library with gevent).
"""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.found = False
        self.inside = False
        self.fields = {}
        self._select = None  # (name, first option's value) while inside a <select>
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action") == self.action:
            self.found = self.inside = True
        if not self.inside or (tag != "option" and not attrs.get("name")):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            # A browser sends no value for a file input left empty or for an unticked box.
            if kind in ("file", "submit", "button", "reset") or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = [attrs["name"], None]
        elif tag == "option" and self._select:
            name, first = self._select
            if first is None:
                self._select[1] = attrs.get("value", "")
            if "selected" in attrs:
                self.fields[name] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, first = self._select
            # With no option marked selected, a browser submits the first one.
            self.fields.setdefault(name, first or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # The parser keeps the newline HTML drops after <textarea>; the field starts after it.
            self.fields[self._textarea] += data.removeprefix("\n") if not self.fields[self._textarea] else data


def form_fields(html, action):
    """{name: value} of the form posting to `action`, as a browser would send it untouched; None if absent."""
    parser = _FormFields(action)
    parser.feed(html)
    parser.close()
    return parser.fields if parser.found else None
