from django.urls import path

from mains.telemetry import views, views_upload

app_name = "telemetry"
urlpatterns = [
    path("alarms/", views.alarm_list, name="alarms"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("upload/", views_upload.upload, name="upload"),
    path("meters/", views.meter_list, name="meters"),
    path("meters/<str:code>/", views.meter_detail, name="meter"),
]
