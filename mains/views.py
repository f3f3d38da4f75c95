import posixpath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve
from huey.contrib.djhuey import HUEY

from mains.areas.models import Community, Grid, Specialist
from mains.desk.models import Category, Heartbeat, WorkOrder
from mains.lib.media import is_public_media
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import Unit, User
from mains.org.roles import HOME_URL_NAMES, Role
from mains.org.units import unit_tree


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return redirect(HOME_URL_NAMES.get(request.user.role, "desk:orders"))


@role_required([Role.ADMIN])
def admin_home(request: AuthedRequest) -> HttpResponse:
    """The administrator's overview: how big each register is, and the organisation."""
    counts = {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "communities": Community.objects.count(),
        "grids": Grid.objects.count(),
        "specialists": Specialist.objects.count(),
        "categories": Category.objects.count(),
        "orders": WorkOrder.objects.count(),
    }
    return render(request, "admin_home.html", {"counts": counts, "tree": unit_tree()})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitors: the database and the job queue."""
    report: dict = {"status": "ok", "time": timezone.now().isoformat()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure here means "not healthy", reported, not raised
        report["database"] = {"ok": False, "error": str(exc)}
        report["status"] = "error"
    try:
        pending = HUEY.pending_count()
        beat = Heartbeat.objects.filter(name="sla_clock").values_list("at", flat=True).first()
        report["queue"] = {
            "ok": True,
            "backend": type(HUEY).__name__,
            "pending": pending,
            "sla_clock_last_run": beat.isoformat() if beat else None,
        }
    except Exception as exc:
        report["queue"] = {"ok": False, "error": str(exc)}
        report["status"] = "error"
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """/media/… for the prefixes public on purpose (mains/lib/media.py); anything else under
    /media/ is 404, whether it exists or not. Production serves these from nginx."""
    clean = posixpath.normpath(path).lstrip("/")
    if not is_public_media(clean):
        raise Http404
    return serve(request, clean, document_root=str(settings.MEDIA_ROOT))
