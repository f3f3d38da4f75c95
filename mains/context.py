from django.conf import settings
from django.http import HttpRequest

from mains.org.navigation import menu_for


def site(request: HttpRequest) -> dict:
    context: dict[str, object] = {
        "SITE_NAME": settings.SITE_NAME,
        "HOTLINE_NUMBER": settings.HOTLINE_NUMBER,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = menu_for(user, request.path)
    return context
