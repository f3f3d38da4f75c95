from django.urls import path

from mains.areas import views

app_name = "areas"
urlpatterns = [
    path("communities/", views.communities, name="communities"),
    path("mine/", views.my_communities, name="my_communities"),
    path("import/", views.import_areas_page, name="import"),
    path("export.xlsx", views.export_areas_page, name="export"),
]
