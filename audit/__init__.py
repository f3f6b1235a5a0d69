"""Security audit trail. Other apps call::

    import audit
    audit.record(request.user, audit.Action.IMPORT_APPLY, run, {"created": 3})

See audit/trail.py for the arguments.
"""


def record(actor, action, obj=None, detail=None, **kwargs):
    from audit.trail import record as _record

    return _record(actor, action, obj, detail, **kwargs)


def __getattr__(name):
    # audit.Action and audit.Outcome without importing models before the app registry is ready.
    if name in ("Action", "Outcome"):
        from audit import models

        return getattr(models, name)
    raise AttributeError(name)
