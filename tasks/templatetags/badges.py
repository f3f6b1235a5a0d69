from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext

from tasks.choices import LightCode, Status
from tasks.lights import Light

register = template.Library()

# An icon beside the word, so colour is never the only carrier of a light.
ICONS = {LightCode.RED: "✖", LightCode.YELLOW: "▲", LightCode.GREEN: "●", LightCode.COMPLETED: "✔"}


@register.simple_tag
def light_badge(light):
    """A requirement's light: icon, word and, unless completed, the reason (also as the tooltip)."""
    reason = light.reason_label
    return format_html(
        '<span class="light light-{}" title="{}"><span class="light-icon" aria-hidden="true">{}</span> {}{}</span>',
        light.code,
        reason,
        ICONS.get(light.code, ICONS[LightCode.COMPLETED]),
        light.label,
        format_html('<small class="light-reason">{}</small>', reason)
        if reason and light.code != LightCode.COMPLETED
        else "",
    )


@register.simple_tag
def reason_badge(reason):
    """The badge of a light given by its reason, as a list annotates it (Requirement.objects.with_lights)."""
    return light_badge(Light.of(reason))


@register.simple_tag
def status_label(value):
    """A status's label, for rows read as values."""
    return Status(value).label if value in Status.values else value


@register.simple_tag
def progress_bar(value):
    """A progress bar with its percentage beside it (the bar alone is not read by every screen reader)."""
    percent = floatformat(value, 0)
    return format_html(
        '<progress class="bar" max="100" value="{}" aria-label="{}">{}%</progress> <span class="bar-value">{}%</span>',
        percent,
        gettext("平均进度 %(p)s%%") % {"p": percent},
        percent,
        percent,
    )
