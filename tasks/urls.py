from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
