"""Special-group residents: registered by the desk, visited by their grid specialist."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.care.access import resident_for
from mains.care.actions import do_record_visit, do_register_resident
from mains.care.forms import ResidentForm, VisitForm
from mains.care.models import Resident
from mains.care.queries import residents_of
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.pii import Purpose, needed
from mains.org.roles import CARE_REGISTER_ROLES, Role


def _visits(
    request: AuthedRequest, failed: Resident | None = None, form: VisitForm | None = None
) -> HttpResponse:
    """The specialist's residents; `failed` is the one whose visit `form` refused."""
    listed = residents_of(request.user)
    return render(
        request,
        "care/visits.html",
        {
            "residents": listed,
            # The specialist visiting a resident needs their name, address and phone.
            "sees_pii_of": needed(listed, Purpose.VISIT),
            "form": VisitForm(),
            "failed_pk": failed.pk if failed else None,
            "failed_form": form,
            "now": timezone.now(),
        },
    )


@role_required([Role.SPECIALIST])
def visits(request: AuthedRequest) -> HttpResponse:
    return _visits(request)


@role_required([Role.SPECIALIST])
@require_POST
def record_visit(request: AuthedRequest, pk: int) -> HttpResponse:
    resident = resident_for(request.user, pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        # Keep what was typed and say why (no choice made, or a note over 2000 characters).
        return _visits(request, resident, form)
    do_record_visit(resident, request.user, form.cleaned_data["help"], form.cleaned_data["note"])
    messages.success(request, _("Visit to %(name)s recorded.") % {"name": resident.name})
    return redirect("care:visits")


@role_required(CARE_REGISTER_ROLES)
def residents(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = ResidentForm(request.POST)
        if form.is_valid():
            do_register_resident(request.user, **form.cleaned_data)
            messages.success(request, _("Resident registered."))
            return redirect("care:residents")
    else:
        form = ResidentForm()
    listed = Resident.objects.filter(active=True).select_related("community")[:500]
    return render(request, "care/residents.html", {"residents": listed, "form": form})
