from django.urls import path

from mains.notify import views

app_name = "notify"
urlpatterns = [
    path("messages/", views.message_log, name="messages"),
    path("messages/<int:pk>/retry/", views.retry, name="retry"),
]
