from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tasks.models import (
    Assignment,
    Breakdown,
    Evidence,
    JournalEntry,
    Pillar,
    Postponement,
    Requirement,
    Task,
)


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "starts_on", "is_current", "created_at"]
    list_filter = ["is_current", "year"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "breakdown"]
    list_filter = ["breakdown"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "pillar"]
    list_filter = ["pillar__breakdown", "pillar"]
    search_fields = ["title"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "short_text",
        "task",
        "deadline_text",
        "due_date",
        "status",
        "progress",
        "updated_at",
        "retired_at",
    ]
    list_filter = ["breakdown", "task__pillar", "status", "deadline_kind", "recurrence", "lead_officials", "teams"]
    search_fields = ["text", "task__title", "deadline_text"]
    list_select_related = ["task"]
    filter_horizontal = ["lead_officials", "teams"]
    readonly_fields = ["version", "updated_at", "updated_by", "reported_through", "postponed_to", "created_at"]
    inlines = [AssignmentInline]

    @admin.display(description=_("具体要求"), ordering="text")
    def short_text(self, obj):
        return obj.text[:50]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "sha256"]


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "requirement", "kind", "author", "department", "status_after", "progress_after"]
    list_filter = ["kind", "department"]
    search_fields = ["note", "requirement__text"]
    list_select_related = ["requirement", "author", "department"]
    raw_id_fields = ["requirement"]
    inlines = [EvidenceInline]


@admin.register(Postponement)
class PostponementAdmin(admin.ModelAdmin):
    list_display = ["requirement", "original_due", "new_due", "state", "requested_by", "decided_by", "decided_at"]
    list_filter = ["state"]
    raw_id_fields = ["requirement"]
