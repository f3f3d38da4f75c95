from django.urls import path

from mains.kb import views

app_name = "kb"
urlpatterns = [
    path("", views.articles, name="articles"),
    path("<int:pk>/", views.article, name="article"),
    path("intake-search/", views.intake_search, name="intake_search"),
    path("<int:pk>/answer/", views.answer_directly, name="answer_directly"),
]
