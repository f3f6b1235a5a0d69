"""Database routing for an optional read replica (DATABASE_REPLICA_URL)."""

from django.conf import settings
from django.db import transaction

# Read from the primary always: a login, a logout or a role change must hold on the very next request,
# which a replica that lags by a moment would not show (a fresh login would bounce back to the form).
PRIMARY_ONLY = {"sessions", "auth", "axes", "contenttypes"}


class ReplicaRouter:
    """Reads go to the replica, writes to default.

    Inside a transaction on default, reads stay on default too: the optimistic
    version check and anything read right after a write must see that write,
    which a replica may not have yet. Sessions, accounts and permissions are
    always read from default.
    """

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY or model._meta.label == settings.AUTH_USER_MODEL:
            return "default"
        if transaction.get_connection("default").in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both aliases hold the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
