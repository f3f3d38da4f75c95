from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mains.areas.models import Community
from mains.org.decorators import role_required
from mains.org.roles import Role


@login_required
def communities(request: HttpRequest) -> HttpResponse:
    found = Community.objects.select_related("grid__specialist", "grid__unit")
    text = request.GET.get("q", "").strip()
    if text:
        lower = text.lower()
        found = found.filter(
            Q(name__icontains=text) | Q(pinyin__startswith=lower) | Q(initials__startswith=lower)
            | Q(grid__code__iexact=text)
        )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "areas/communities.html", {"page": page, "q": text})


@role_required([Role.SPECIALIST])
def my_communities(request: HttpRequest) -> HttpResponse:
    spec = request.user.specialist
    mine = Community.objects.filter(
        Q(grid__specialist=spec) | Q(grid__deputy=spec)
    ).select_related("grid").order_by("name")
    return render(request, "areas/my_communities.html", {"communities": mine, "specialist": spec})
