"""Security audit trail. Other apps call::

    from audit.models import Action
    from audit.trail import record

    record(request.user, Action.IMPORT_APPLY, run, {"created": 3})

See audit/trail.py for the arguments.
"""
