"""Social supervisors file observations; managers answer them by a deadline."""

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import OBSERVATION_ANSWER_ROLES, Role
from mains.supervision.access import observation_for
from mains.supervision.actions import (
    ObservationError,
    do_answer_observation,
    do_file_observation,
)
from mains.supervision.forms import AnswerForm, ObservationForm
from mains.supervision.models import Observation


@role_required([Role.SUPERVISOR])
def mine(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = ObservationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            do_file_observation(request.user, data["kind"], data["text"], data["community"])
            messages.success(request, _("Thank you. Your observation was filed."))
            return redirect("supervision:mine")
    else:
        form = ObservationForm()
    observations = Observation.objects.filter(supervisor=request.user).select_related(
        "community", "answered_by"
    )
    return render(request, "supervision/mine.html", {"form": form, "observations": observations})


def _inbox(
    request: AuthedRequest, failed: Observation | None = None, form: AnswerForm | None = None
) -> HttpResponse:
    """The observations; `failed` is the one whose answer `form` refused (shown with its text)."""
    observations = Observation.objects.select_related(
        "supervisor", "community", "answered_by"
    ).order_by(F("answered_at").asc(nulls_first=True), "answer_due")
    return render(
        request,
        "supervision/inbox.html",
        {
            "observations": observations[:200],
            "failed_pk": failed.pk if failed else None,
            "failed_form": form,
        },
    )


@role_required(OBSERVATION_ANSWER_ROLES)
def inbox(request: AuthedRequest) -> HttpResponse:
    return _inbox(request)


@role_required(OBSERVATION_ANSWER_ROLES)
@require_POST
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = observation_for(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        # Keep what was typed and say why (empty, or over the length limit).
        return _inbox(request, observation, form)
    try:
        do_answer_observation(observation, request.user, form.cleaned_data["answer"])
    except ObservationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The answer was saved; the supervisor sees it."))
    return redirect("supervision:inbox")
