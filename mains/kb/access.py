"""The articles a user may read, and the one way a page reads one by id."""

from django.db.models import QuerySet
from django.http import Http404

from mains.kb.models import Article
from mains.org.models import User


def articles_for(user: User) -> QuerySet[Article]:
    """Every signed-in user reads the active articles; withdrawn ones are read by nobody."""
    if not user.is_authenticated:
        return Article.objects.none()
    return Article.objects.filter(active=True)


def article_for(user: User, pk: int) -> Article:
    """One article the user may read; missing, withdrawn and not-theirs answer the same 404."""
    found = articles_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
