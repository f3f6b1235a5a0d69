"""GET /api/v1/evidence/{id}/: stored and served under the extension of the detected type, audited, as the page's link."""

from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from tasks.models import Evidence
from tests.api.conftest import token_client
from tests.tasks.conftest import tiny_pdf

POLYGLOT = tiny_pdf() + b"<html><script>alert(document.domain)</script></html>"


def _upload(user, requirement, name):
    files = [SimpleUploadedFile(name, POLYGLOT, content_type="text/html")]
    answer = token_client(user).post(
        f"/api/v1/requirements/{requirement.pk}/reports/",
        {"status": "in_progress", "progress": 20, "note": "附件", "version": requirement.version, "files": files},
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    return Evidence.objects.get(), answer.json()["entry"]["evidence"][0]["download_url"]


def test_it_stores_a_pdf_named_html_as_a_pdf_and_serves_it_as_one(water_staff, requirement, media):
    evidence, url = _upload(water_staff, requirement, "poly.html")
    assert evidence.file.name.endswith(".pdf") and evidence.original_name == "poly.pdf"
    download = token_client(water_staff).get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="poly.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == POLYGLOT


def test_it_serves_an_older_record_under_its_detected_extension(water_staff, requirement, media):
    # A record stored before names were corrected at upload still keeps the uploader's name in the database.
    evidence, url = _upload(water_staff, requirement, "poly.pdf")
    Evidence.objects.filter(pk=evidence.pk).update(original_name="poly.html")
    download = token_client(water_staff).get(url)
    assert download["Content-Disposition"] == 'attachment; filename="poly.pdf"'


def test_it_records_the_download_in_the_audit_trail_with_the_client_address(water_staff, requirement, media):
    evidence, url = _upload(water_staff, requirement, "方案.pdf")
    token_client(water_staff).get(url, REMOTE_ADDR="198.51.100.9")
    event = AuditEvent.objects.get(action="data.evidence_download")
    assert (event.actor_name, event.object_id, event.ip_address) == ("water", str(evidence.pk), "198.51.100.9")
    assert event.detail_data == {"requirement": requirement.pk, "sha256": evidence.sha256}
