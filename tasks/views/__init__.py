from tasks.views.dashboard import DashboardView, dashboard_export
from tasks.views.importing import export_download, import_apply, import_preview, import_upload
from tasks.views.requirement import (
    evidence_download,
    feedback_add,
    instruction_add,
    postponement_decide,
    postponement_request,
    progress_report,
    requirement_detail,
)
from tasks.views.supervision import (
    completion_apply,
    completion_review,
    completion_withdraw,
    instruction_assign,
    notice_detail,
    notice_download,
    notice_issue,
    notice_respond,
    requirement_sign,
)
from tasks.views.todo import todo

__all__ = [
    "DashboardView",
    "dashboard_export",
    "evidence_download",
    "export_download",
    "feedback_add",
    "import_apply",
    "import_preview",
    "import_upload",
    "instruction_add",
    "postponement_decide",
    "postponement_request",
    "progress_report",
    "requirement_detail",
    "todo",
    "completion_apply",
    "completion_review",
    "completion_withdraw",
    "notice_detail",
    "notice_download",
    "notice_issue",
    "notice_respond",
    "requirement_sign",
    "instruction_assign",
]
