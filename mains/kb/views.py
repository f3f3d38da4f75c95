"""The knowledge base: read and search articles; answer a call from one (直接答复)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.desk.actions import do_answer_directly
from mains.desk.errors import OrderActionError
from mains.desk.forms import IntakeForm
from mains.kb.access import article_for
from mains.kb.queries import search_articles
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import INTAKE_ROLES


@login_required
def articles(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    return render(
        request, "kb/articles.html", {"articles": search_articles(text, limit=50), "q": text}
    )


@login_required
def article(request: AuthedRequest, pk: int) -> HttpResponse:
    found = article_for(request.user, pk)
    return render(request, "kb/article.html", {"article": found})


@role_required(INTAKE_ROLES)
def intake_search(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("kb_q", "") or request.GET.get("description", "")
    return render(
        request, "kb/partials/intake_results.html", {"articles": search_articles(text, limit=5)}
    )


@role_required(INTAKE_ROLES)
@require_POST
def answer_directly(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the call on the intake screen as answered from this article."""
    found = article_for(request.user, pk)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return render(
            request,
            "kb/partials/answer_error.html",
            {"problems": problems or [_("Check the intake form.")]},
        )
    data = form.cleaned_data
    try:
        order = do_answer_directly(
            by=request.user,
            category=data["category"],
            description=data["description"],
            answer=_("Answered from the article “%(title)s”.") % {"title": found.title},
            community=data["community"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            address=data["address"],
            channel=data["channel"],
            priority=data["priority"],
        )
    except OrderActionError as exc:
        return render(request, "kb/partials/answer_error.html", {"problems": [str(exc)]})
    response = HttpResponse(status=204)
    response["HX-Redirect"] = f"{reverse('desk:intake')}?saved={order.pk}"
    return response
