from django.urls import path

from mains.boards import install, views

app_name = "boards"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("missing.xlsx", views.missing_export, name="missing_export"),
    path("community/<int:pk>.pdf", views.community_pdf, name="community_pdf"),
    path("community/<int:pk>/printed/", views.community_printed, name="community_printed"),
    path("batches/", views.batches, name="batches"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>.pdf", views.batch_download, name="batch_download"),
    path("batches/<int:pk>/printed/", views.batch_printed, name="batch_printed"),
    path("install/", install.install, name="install"),
]
