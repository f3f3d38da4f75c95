from django.urls import path

from mains.care import views

app_name = "care"
urlpatterns = [
    path("visits/", views.visits, name="visits"),
    path("residents/", views.residents, name="residents"),
    path("residents/<int:pk>/visit/", views.record_visit, name="record_visit"),
]
