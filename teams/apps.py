from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("部门与行动队")

    def ready(self):
        from teams import signin  # noqa: F401  (session clocks and password expiry at sign-in)
