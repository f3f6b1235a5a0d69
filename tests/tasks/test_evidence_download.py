from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from tasks import services
from tasks.models import Evidence
from tests.tasks.conftest import tiny_pdf


def _evidence(requirement, user, name="方案.pdf"):
    services.progress_record(
        requirement=requirement,
        user=user,
        status="in_progress",
        progress=1,
        note="n",
        files=[SimpleUploadedFile(name, tiny_pdf(), content_type="text/html")],
        version=requirement.version,
    )
    return Evidence.objects.get()


def test_it_serves_the_file_as_an_attachment_with_the_sniffed_type(client, water_staff, district_staff, requirement):
    evidence = _evidence(requirement, water_staff)
    client.force_login(district_staff)  # any role reads the whole table, files included
    response = client.get(reverse("tasks:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E6%96%B9%E6%A1%88.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    event = AuditEvent.objects.get(action="data.evidence_download")  # who took which file, in the trail
    assert event.actor_name == district_staff.username and event.outcome == "success"


def test_it_answers_404_when_the_stored_file_is_gone(client, water_staff, requirement):
    evidence = _evidence(requirement, water_staff)
    evidence.file.delete(save=False)
    client.force_login(water_staff)
    assert client.get(reverse("tasks:evidence-download", args=[evidence.pk])).status_code == 404


def test_it_refuses_posts(client, water_staff, requirement):
    evidence = _evidence(requirement, water_staff)
    client.force_login(water_staff)
    assert client.post(reverse("tasks:evidence-download", args=[evidence.pk])).status_code == 405
    assert Evidence.objects.count() == 1
