"""Pages of notice boards for the back office: coverage, PDFs, batches."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.areas.models import Community
from mains.boards import queries
from mains.boards.actions import (
    BoardStateError,
    do_generate_boards,
    do_mark_batch_printed,
    do_mark_printed,
    do_request_batch,
)
from mains.boards.forms import BatchForm
from mains.boards.models import BatchState, Board, BoardBatch, BoardState
from mains.boards.render import board_pdf, communities_for_print
from mains.lib.media import private_file_response
from mains.lib.xlsx import add_sheet, new_book, xlsx_response
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.roles import NOTICE_BOARD_ROLES

RECENT_BATCHES = 8
RECENT_INSTALLS = 6


def _batches_context() -> dict:
    batches = list(BoardBatch.objects.select_related("grid", "requested_by")[:RECENT_BATCHES])
    return {"batches": batches, "polling": any(b.is_running for b in batches)}


@role_required(NOTICE_BOARD_ROLES)
def coverage(request: AuthedRequest) -> HttpResponse:
    found = queries.coverage()
    chart = {
        "grids": [g.code for g in found.grids],
        "installed": [g.installed for g in found.grids],
        "missing": [g.missing for g in found.grids],
    }
    recent = Board.objects.filter(state=BoardState.INSTALLED).select_related(
        "community", "installed_by"
    )
    context = {
        "coverage": found,
        "recent": recent.order_by("-installed_at")[:RECENT_INSTALLS],
        "chart": chart,
        "form": BatchForm(),
        "progress_labels": dict(BoardState.choices),
        **_batches_context(),
    }
    return render(request, "boards/coverage.html", context)


@role_required(NOTICE_BOARD_ROLES)
def missing_export(request: AuthedRequest) -> HttpResponse:
    found = queries.coverage()
    labels = dict(BoardState.choices)
    header = [_("Community"), _("Address"), _("Grid"), _("Specialist"), _("Board")]
    rows = [
        (
            c.name,
            c.address,
            f"{c.grid.code} {c.grid.name}" if c.grid else "",
            c.grid.specialist.name if c.grid and c.grid.specialist else "",
            str(labels.get(progress, _("None"))),
        )
        for c, progress in found.missing
    ]
    book = new_book()
    add_sheet(book, _("Missing boards"), header, rows)
    day = timezone.localdate().isoformat()
    return xlsx_response(book, f"boards-missing-{day}.xlsx")


@role_required(NOTICE_BOARD_ROLES)
def community_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    communities = communities_for_print(Community.objects.filter(pk=pk))
    if not communities:
        raise Http404
    pdf = board_pdf(communities)
    do_generate_boards(communities, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-{pk}.pdf"'
    return response


@role_required(NOTICE_BOARD_ROLES)
@require_POST
def community_printed(request: AuthedRequest, pk: int) -> HttpResponse:
    board = (
        Board.objects.filter(community_id=pk, state=BoardState.GENERATED)
        .select_related("community")
        .first()
    )
    if board is None:
        messages.error(request, _("This community has no board waiting to be printed."))
        return redirect("boards:coverage")
    try:
        do_mark_printed(board, by=request.user)
    except BoardStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The board of %(name)s is printed.") % {"name": board.community.name}
        )
    return redirect("boards:coverage")


@role_required(NOTICE_BOARD_ROLES)
@require_POST
def batch_create(request: AuthedRequest) -> HttpResponse:
    form = BatchForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("boards:coverage")
    data = form.cleaned_data
    grid = data["grid"] if data["scope"] == BoardBatch.Scope.GRID else None
    do_request_batch(data["scope"], grid, by=request.user)
    messages.info(request, _("The batch PDF is queued; it appears below when it is ready."))
    return redirect("boards:coverage")


@role_required(NOTICE_BOARD_ROLES)
def batches(request: AuthedRequest) -> HttpResponse:
    return render(request, "boards/_batches.html", _batches_context())


@role_required(NOTICE_BOARD_ROLES)
def batch_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    batch = get_object_or_404(BoardBatch, pk=pk, state=BatchState.DONE)
    return private_file_response(
        batch.file, name=f"boards-{batch.pk}.pdf", content_type="application/pdf", download=True
    )


@role_required(NOTICE_BOARD_ROLES)
@require_POST
def batch_printed(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(BoardBatch, pk=pk, state=BatchState.DONE)
    count = do_mark_batch_printed(batch)
    messages.success(request, _("%(count)d boards marked printed.") % {"count": count})
    return redirect("boards:coverage")
