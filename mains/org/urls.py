from django.urls import path

from mains.org import views

app_name = "org"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.xlsx", views.access_log_export, name="access_log_export"),
]
