"""One access helper for the metrics pages: 404 for accounts without a role, 403 for the wrong role."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

READ = ("metrics.view_bulletin",)


def require(request, permission):
    user = request.user
    if not (user.is_superuser or user.role_names):
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
