from tasks.views.dashboard import DashboardView

__all__ = ["DashboardView"]
