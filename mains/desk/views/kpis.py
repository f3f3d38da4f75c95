"""Service KPIs for a date range (filled in by the KPI module)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mains.org.decorators import role_required
from mains.org.roles import KPI_ROLES


@role_required(KPI_ROLES)
def kpis(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/kpis.html", {})
