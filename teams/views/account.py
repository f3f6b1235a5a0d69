"""The signed-in user's own account: changing the password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from teams.middleware import EXPIRED


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("tasks:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[EXPIRED] = False
        messages.success(self.request, _("密码已修改。"))
        return response
