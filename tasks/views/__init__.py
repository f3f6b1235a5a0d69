from tasks.views.dashboard import DashboardView
from tasks.views.importing import export_download, import_apply, import_preview, import_upload

__all__ = ["DashboardView", "export_download", "import_apply", "import_preview", "import_upload"]
