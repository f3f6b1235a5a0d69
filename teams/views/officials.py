"""Lead officials (主管领导): each one's requirements grouped by light, "my portfolio" for a leader."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.access import is_reader, require_reader
from tasks.selectors import light_counts, light_counts_by, lights_grouped, requirements_of_official
from teams.models import Official


@login_required
def official_list(request):
    on = timezone.localdate()
    officials = list(Official.objects.filter(is_active=True).select_related("user")) if is_reader(request.user) else []
    counts = light_counts_by("lead_officials", officials, on=on)
    for official in officials:
        official.light_counts = counts[official.pk]
    mine = [o for o in officials if o.user_id == request.user.pk]
    return render(request, "teams/official_list.html", {"officials": officials, "mine": mine})


@login_required
def official_detail(request, pk):
    require_reader(request)
    official = get_object_or_404(Official.objects.select_related("user"), pk=pk)
    on = timezone.localdate()
    requirements = requirements_of_official(official, on=on)
    return render(
        request,
        "teams/official_detail.html",
        {
            "official": official,
            "groups": lights_grouped(requirements),
            "light_counts": light_counts(r.current_light for r in requirements),
            "total": len(requirements),
            "is_mine": official.user_id == request.user.pk,
            "on": on,
        },
    )


@login_required
def official_mine(request):
    """A leader's own portfolio: the official entry linked to their account."""
    require_reader(request)
    posts = list(Official.objects.filter(user=request.user, is_active=True))
    if len(posts) == 1:
        return redirect("teams:official-detail", pk=posts[0].pk)
    if not posts:
        messages.info(request, _("您的账号尚未关联主管领导，请联系管理员在后台关联。"))
    return redirect("teams:official-list")
