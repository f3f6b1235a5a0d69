"""A user's own API tokens: create (the token is shown once, in the answer to the POST) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.forms import TokenCreateForm
from api.models import token_create, token_revoke


@never_cache
@login_required
def token_list(request):
    form = TokenCreateForm(request.POST or None, user=request.user)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            record, token = token_create(user=request.user, name=form.cleaned_data["name"])
            created = {"record": record, "token": token}
            form = TokenCreateForm(user=request.user)
        else:
            status = 400
    context = {"form": form, "created": created, "tokens": request.user.api_tokens.all()}
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request, pk):
    # Only one's own tokens: another user's is a 404, never a 403 that would confirm it exists.
    token = get_object_or_404(request.user.api_tokens.live(), pk=pk)
    token_revoke(token=token, by=request.user)
    messages.success(request, _("令牌“%(name)s”已撤销，使用它的请求将被拒绝。") % {"name": token.name})
    return redirect("api:tokens")
