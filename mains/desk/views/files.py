"""The photos and files of an order: only through here, to those who may see the order."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from mains.desk.access import attachment_for
from mains.desk.visibility import reads_special_group_details
from mains.lib.media import private_file_response
from mains.org.http import AuthedRequest


@login_required
@require_safe
def attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    found = attachment_for(request.user, pk, attachment_pk)
    # A special-group order's files are withheld like its description: the same 404.
    if not reads_special_group_details(request.user, found.order):
        raise Http404
    return private_file_response(found.file, name=found.name, content_type=found.content_type)
