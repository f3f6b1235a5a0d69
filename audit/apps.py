from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("安全审计")

    def ready(self):
        # Django's login view and django-axes announce sign-ins, failures and sign-outs only
        # through these signals; they are the one place tieju listens to signals (audit/auth.py).
        from audit import auth  # noqa: F401
