"""The specialist's phone page: record that a printed board is on the wall."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mains.boards import queries
from mains.boards.actions import BoardStateError, do_record_installation
from mains.boards.forms import InstallForm
from mains.boards.models import Board, BoardState
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import Role


@role_required([Role.SPECIALIST])
def install(request: AuthedRequest) -> HttpResponse:
    boards = queries.installable_boards(request.user)
    form = InstallForm(request.POST or None, request.FILES or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        board = form.cleaned_data["board"]
        try:
            do_record_installation(
                board,
                by=request.user,
                photo=form.cleaned_data["photo"],
                installed_on=form.cleaned_data["installed_on"],
            )
        except BoardStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Installation recorded for %(name)s.") % {"name": board.community.name},
            )
            return redirect("boards:install")
    recent = Board.objects.filter(
        installed_by=request.user, state=BoardState.INSTALLED
    ).select_related("community")[:5]
    context = {"form": form, "has_boards": boards.exists(), "recent": recent}
    return render(request, "boards/install.html", context, status=400 if form.errors else 200)
