"""Stored and downloaded evidence names take their extension from the content (issue 17)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import services
from tasks.models import Evidence
from tests.tasks.conftest import tiny_pdf

POLYGLOT = tiny_pdf() + b"<html><script>alert(document.cookie)</script></html>"


def _upload(requirement, user, name, content):
    services.progress_record(
        requirement=requirement,
        user=user,
        status="in_progress",
        progress=1,
        note="n",
        files=[SimpleUploadedFile(name, content, content_type="text/html")],
        version=requirement.version,
    )
    return Evidence.objects.get()


def test_it_stores_a_pdf_named_html_as_a_pdf_and_downloads_it_as_one(client, water_staff, requirement):
    evidence = _upload(requirement, water_staff, "poly.html", POLYGLOT)
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith(".pdf") and ".html" not in evidence.file.name
    assert evidence.original_name == "poly.pdf"
    client.force_login(water_staff)
    response = client.get(reverse("tasks:evidence-download", args=[evidence.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_it_keeps_the_extension_of_a_300_character_name(water_staff, requirement):
    name = "关于水污染防治工作的报告" * 25 + ".pdf"
    assert len(name) == 304
    evidence = _upload(requirement, water_staff, name, tiny_pdf())
    assert len(evidence.original_name) == 255
    assert evidence.original_name == name[:251] + ".pdf"  # the stem is cut, the extension kept


def test_it_keeps_a_correct_extension_as_the_user_wrote_it(water_staff, requirement):
    evidence = _upload(requirement, water_staff, "方案.PDF", tiny_pdf())
    assert evidence.original_name == "方案.PDF"


def test_it_renames_an_old_record_on_download_too(client, water_staff, requirement):
    evidence = _upload(requirement, water_staff, "a.pdf", tiny_pdf())
    # A record stored before the fix kept the uploader's name.
    Evidence.objects.filter(pk=evidence.pk).update(original_name="poly.html")
    client.force_login(water_staff)
    response = client.get(reverse("tasks:evidence-download", args=[evidence.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
