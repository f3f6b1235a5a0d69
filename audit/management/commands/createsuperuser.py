"""Django's createsuperuser, with the account recorded in the audit trail (this app is listed before
django.contrib.auth, so its command takes the name)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser

from audit import trail
from audit.context import running_command
from audit.models import Action


class Command(createsuperuser.Command):
    help = createsuperuser.Command.help + " The account is recorded in the audit trail."

    def handle(self, *args, **options):
        users = get_user_model()._default_manager.db_manager(options["database"])
        newest = users.order_by("-pk").values_list("pk", flat=True).first() or 0
        with running_command("createsuperuser"):
            super().handle(*args, **options)
        # Django's command does not hand the account back; it is the one it just added.
        for user in users.filter(pk__gt=newest, is_superuser=True).order_by("pk"):
            trail.record("manage.py", Action.ACCOUNT_CREATE, user, {"command": "createsuperuser", "superuser": True})
