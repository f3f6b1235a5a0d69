"""Django's changepassword, with the change recorded in the audit trail as made from the server's shell
(teams.passwords records every password change; this names the command as the one who made it)."""

from django.contrib.auth.management.commands import changepassword

from audit.context import running_command


class Command(changepassword.Command):
    help = changepassword.Command.help + " The change is recorded in the audit trail."

    def handle(self, *args, **options):
        with running_command("changepassword"):
            return super().handle(*args, **options)
