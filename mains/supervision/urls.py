from django.urls import path

from mains.supervision import views

app_name = "supervision"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/answer/", views.answer, name="answer"),
]
