"""Loading the bureau's reference data (departments, collectives, officials, teams) idempotently."""

import json

from django.conf import settings
from django.db import transaction

from teams.models import ActionTeam, Collective, Department, DepartmentAlias, Official

REFERENCE_FILE = settings.BASE_DIR / "fixtures" / "reference.json"


@transaction.atomic
def reference_load(*, path=REFERENCE_FILE):
    """Create what is missing; never overwrites what administrators changed. Returns counts of created rows."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {"departments": 0, "collectives": 0, "officials": 0, "teams": 0}
    for order, item in enumerate(data["departments"], start=1):
        department, new = Department.objects.get_or_create(
            name=item["name"], defaults={"kind": item["kind"], "sort_order": order}
        )
        created["departments"] += new
        for alias in item.get("aliases", []):
            DepartmentAlias.objects.get_or_create(name=alias, defaults={"department": department})
    for item in data["collectives"]:
        _c, new = Collective.objects.get_or_create(
            name=item["name"], defaults={"rule": item["rule"], "department_kind": item.get("department_kind", "")}
        )
        created["collectives"] += new
    for order, item in enumerate(data["officials"], start=1):
        _o, new = Official.objects.get_or_create(
            name=item["name"], defaults={"kind": item["kind"], "title": item.get("title", ""), "sort_order": order}
        )
        created["officials"] += new
    for item in data["teams"]:
        _t, new = ActionTeam.objects.get_or_create(
            number=item["number"],
            defaults={
                "name": item["name"],
                "mission": item["mission"],
                "code_of_conduct": item.get("code", ""),
                "host_department": Department.objects.get(name=item["host"]),
                "is_illustrative": item.get("illustrative", False),
            },
        )
        created["teams"] += new
    return created
