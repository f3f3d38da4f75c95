from django.http import HttpRequest

from mains.org.models import User


class AuthedRequest(HttpRequest):
    """A request behind log-in: `user` is a mains User, never anonymous."""

    user: User
