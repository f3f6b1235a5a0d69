from django.urls import path

from calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.feed_settings, name="settings"),
    path("on/", views.feed_turn_on, name="turn-on"),
    path("off/", views.feed_turn_off, name="turn-off"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
