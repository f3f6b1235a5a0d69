from django.contrib import admin

from imports.models import ImportRecord


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Read-only: a record says what an import did, so nobody edits it after the fact."""

    list_display = ["created_at", "kind", "file_name", "user", "applied_at", "size"]
    list_filter = ["kind", ("applied_at", admin.EmptyFieldListFilter)]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in ImportRecord._meta.fields]
    # Links the three import pages (upload → preview → apply) above the list.
    change_list_template = "admin/imports/importrecord/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
