"""mains' URLs plus one that fails, to see the 500 page people get (tests only)."""

from django.urls import path

from mains.urls import handler500
from mains.urls import urlpatterns as mains_urlpatterns


def crash(request):
    raise RuntimeError("a bug no view handled")


urlpatterns = [path("crash/", crash), *mains_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
