"""Lead officials (主管领导): each one's requirements grouped by light, "my portfolio" for a leader."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Official
from teams.views.common import active_requirements, is_reader, light_counts, require_reader, requirements_with_lights


@login_required
def official_list(request):
    on = timezone.localdate()
    officials = list(Official.objects.filter(is_active=True).select_related("user")) if is_reader(request.user) else []
    by_official = {official.pk: official for official in officials}
    for official in officials:
        official.lights = []
    requirements = active_requirements().filter(lead_officials__in=officials)
    lights = requirements.lights(on=on)
    for official_pk, requirement_pk in requirements.values_list("lead_officials", "pk"):
        if official_pk in by_official:
            by_official[official_pk].lights.append(lights[requirement_pk])
    for official in officials:
        official.light_counts = light_counts(official.lights)
    mine = [o for o in officials if o.user_id == request.user.pk]
    return render(request, "teams/official_list.html", {"officials": officials, "mine": mine})


@login_required
def official_detail(request, pk):
    from tasks.choices import LightCode

    require_reader(request)
    official = get_object_or_404(Official.objects.select_related("user"), pk=pk)
    on = timezone.localdate()
    requirements = requirements_with_lights(active_requirements().filter(lead_officials=official), on=on)
    groups = []
    for code, label in LightCode.choices:
        members = [r for r in requirements if r.current_light.code == code]
        groups.append((code, label, members))
    return render(
        request,
        "teams/official_detail.html",
        {
            "official": official,
            "groups": groups,
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
