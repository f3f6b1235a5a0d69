"""`{% load reuse %}{% reuse "name" %}…{% endreuse %}`: a template part reused while the data stands.

The enclosed output is stored per user and language under the data's version (tieju.freshness) and
rendered anew where there is no version. Only for parts that depend on nothing else: not on the
page's path or query string, and never around a CSRF token (masked anew for every response)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from teams.models import User
from tieju import freshness

register = template.Library()


class ReuseNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        user = getattr(context.get("request"), "user", None)
        version = freshness.data_version(User) if user is not None and user.is_authenticated else None
        key = None if version is None else freshness.key(f"fragment:{self.name}", version, user.pk, get_language())
        return mark_safe(freshness.reuse(key, lambda: self.nodelist.render(context)))


@register.tag
def reuse(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name: {{% {bits[0]} \"nav\" %}}")
    nodelist = parser.parse(("endreuse",))
    parser.delete_first_token()
    return ReuseNode(bits[1][1:-1], nodelist)
