from django.urls import reverse

from tasks.models import JournalEntry, Requirement


def test_it_adds_a_leaders_instruction_to_the_journal_and_changes_nothing_else(client, leader, requirement):
    client.force_login(leader)
    response = client.post(
        reverse("tasks:requirement-instruction", args=[requirement.pk]),
        {"note": "请水环境处抓紧推进", "status": "completed", "progress": 100},
        follow=True,
    )
    entry = JournalEntry.objects.get()
    assert (entry.kind, entry.author, entry.note) == ("instruction", leader, "请水环境处抓紧推进")
    r = Requirement.objects.get(pk=requirement.pk)
    assert (r.status, r.progress, r.version, r.updated_by) == ("not_started", 0, 1, None)
    page = response.content.decode()
    assert "领导批示" in page and "请水环境处抓紧推进" in page


def test_it_requires_text(client, leader, requirement):
    client.force_login(leader)
    assert client.post(reverse("tasks:requirement-instruction", args=[requirement.pk]), {}).status_code == 200
    assert not JournalEntry.objects.exists()
