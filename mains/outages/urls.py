from django.urls import path

from mains.outages.views import intake, pages

app_name = "outages"
urlpatterns = [
    path("", pages.outage_list, name="list"),
    path("new/", pages.outage_new, name="new"),
    path("communities/", pages.community_search, name="communities"),
    path("<int:pk>/", pages.outage_detail, name="detail"),
    path("<int:pk>/edit/", pages.outage_edit, name="edit"),
    path("<int:pk>/end/", pages.outage_end, name="end"),
    path("<int:pk>/cancel/", pages.outage_cancel, name="cancel"),
    path("intake/", intake.intake_panel, name="intake_panel"),
    path("<int:pk>/attach/", intake.attach, name="attach"),
]
