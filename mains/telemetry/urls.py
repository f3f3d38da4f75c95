from django.urls import path

from mains.telemetry.views import pages, upload

app_name = "telemetry"
urlpatterns = [
    path("alarms/", pages.alarm_list, name="alarms"),
    path("alarms/<int:pk>/", pages.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/acknowledge/", pages.acknowledge, name="acknowledge"),
    path("quarantine/", pages.quarantine, name="quarantine"),
    path("upload/", upload.upload, name="upload"),
    path("meters/", pages.meter_list, name="meters"),
    path("meters/<str:code>/", pages.meter_detail, name="meter"),
]
