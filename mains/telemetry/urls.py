from django.urls import path

from mains.telemetry import views

app_name = "telemetry"
urlpatterns = [
    path("alarms/", views.alarm_list, name="alarms"),
    path("meters/<str:code>/", views.meter_detail, name="meter"),
]
