from django.urls import path, re_path

from mains.api import docs, errors
from mains.api.v1 import api

app_name = "api"
urlpatterns = [
    path("api/v1/docs/assets/<str:name>", docs.asset, name="docs_asset"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", errors.not_found_view, name="v1_not_found"),
]
