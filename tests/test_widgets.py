"""tieju.widgets.PlainSelect writes what Django's Select writes, apart from whitespace and attribute order."""

from html.parser import HTMLParser

import pytest
from django import forms

from tieju.widgets import PlainSelect

CHOICES = [("", "---------"), (1, "水生态环境处"), (2, "大气 & <环境>处"), ("x", "其他")]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


def _normalized(html):
    parser = _Elements()
    parser.feed(str(html))
    return parser.items


@pytest.mark.parametrize("value", [None, "", "1", 2, "x", "nope", ["2"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_department", "required": True, "class": "wide"}])
def test_it_renders_what_django_select_renders(value, attrs):
    expected = forms.Select(choices=CHOICES).render("department", value, attrs)
    actual = PlainSelect(choices=CHOICES).render("department", value, attrs)
    assert _normalized(actual) == _normalized(expected)


def test_it_marks_only_the_first_matching_option_selected():
    html = PlainSelect(choices=[("1", "a"), (1, "b")]).render("n", "1")
    assert html.count(" selected") == 1 and '<option value="1" selected>a</option>' in html


def test_it_leaves_option_groups_to_django():
    grouped = [("处室", [(1, "水")]), (2, "其他")]
    assert _normalized(PlainSelect(choices=grouped).render("n", "1")) == _normalized(
        forms.Select(choices=grouped).render("n", "1")
    )
