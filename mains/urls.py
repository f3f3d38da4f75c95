from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.functional import lazy

from mains import views

# Any exception no view handled: JSON for the API, Open311's list, a page for people;
# 503 with Retry-After while the database is down (mains/failures.py).
handler500 = "mains.failures.server_error"

# The admin carries the utility's name, as every other page does (read at each page).
admin.site.site_header = admin.site.site_title = lazy(lambda: settings.SITE_NAME, str)()

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("org/admin-home/", views.admin_home, name="admin_home"),
    path("org/", include("mains.org.urls")),
    path("areas/", include("mains.areas.urls")),
    path("desk/", include("mains.desk.urls")),
    path("boards/", include("mains.boards.urls")),
    path("outages/", include("mains.outages.urls")),
    path("notify/", include("mains.notify.urls")),
    path("kb/", include("mains.kb.urls")),
    path("care/", include("mains.care.urls")),
    path("supervision/", include("mains.supervision.urls")),
    path("telemetry/", include("mains.telemetry.urls")),
    # Residents' pages (/c/…, /track/…) and the open interfaces (/api/v1/, /open311/v2/).
    path("", include("mains.public.urls")),
    path("", include("mains.api.urls")),
    # Only the media public on purpose; private files have their own access-checked views.
    path("media/<path:path>", views.public_media, name="public_media"),
]
