from django.http import JsonResponse
from django.urls import path

from mains.urls import urlpatterns as mains_urlpatterns


def floor(request):
    """The cheapest Django answer: what every page costs before it does any work."""
    return JsonResponse({"ok": True})


urlpatterns = [path("__floor__", floor), *mains_urlpatterns]
