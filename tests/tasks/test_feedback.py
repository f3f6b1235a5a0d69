from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import JournalEntry, Requirement
from tests.tasks.conftest import tiny_pdf


def test_it_adds_cooperating_feedback_without_changing_status(client, air_staff, requirement):
    client.force_login(air_staff)
    response = client.post(
        reverse("tasks:requirement-feedback", args=[requirement.pk]),
        {"note": "已完成大气部分排查", "files": SimpleUploadedFile("排查.pdf", tiny_pdf()), "status": "completed"},
        follow=True,
    )
    entry = JournalEntry.objects.get()
    assert (entry.kind, entry.department.name, entry.status_after) == ("feedback", "大气环境处", "")
    assert entry.evidence.get().original_name == "排查.pdf"
    r = Requirement.objects.get(pk=requirement.pk)
    assert (r.status, r.version) == ("not_started", 1)
    assert "协办反馈已保存" in response.content.decode() and "已完成大气部分排查" in response.content.decode()


def test_it_requires_a_note(client, air_staff, requirement):
    client.force_login(air_staff)
    response = client.post(reverse("tasks:requirement-feedback", args=[requirement.pk]), {"note": "  "})
    assert response.status_code == 200 and "请填写说明" in response.content.decode()
    assert not JournalEntry.objects.exists()
