from django import template

from notify.models import Delivery

register = template.Library()


@register.simple_tag(takes_context=True)
def deliveries_needing_attention(context):
    """How many deliveries failed or are stuck, for administrators who may view them (else None)."""
    request = context.get("request")
    if request is None or not request.user.has_perm("notify.view_delivery"):
        return None
    return Delivery.objects.needing_attention().count()
