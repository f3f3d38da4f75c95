from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.areas import workbook
from mains.areas.exports import export_book
from mains.areas.imports import import_areas
from mains.areas.models import Community
from mains.lib.xlsx import xlsx_response
from mains.org.decorators import role_required
from mains.org.models import User
from mains.org.roles import Role

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024


@login_required
def communities(request: HttpRequest) -> HttpResponse:
    found = Community.objects.select_related("grid__specialist", "grid__unit")
    text = request.GET.get("q", "").strip()
    if text:
        lower = text.lower()
        found = found.filter(
            Q(name__icontains=text)
            | Q(pinyin__startswith=lower)
            | Q(initials__startswith=lower)
            | Q(grid__code__iexact=text)
        )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "areas/communities.html", {"page": page, "q": text})


@role_required([Role.SPECIALIST])
def my_communities(request: HttpRequest) -> HttpResponse:
    spec = getattr(request.user, "specialist", None)
    if spec is None:
        return render(request, "areas/my_communities.html", {"communities": [], "specialist": None})
    mine = (
        Community.objects.filter(Q(grid__specialist=spec) | Q(grid__deputy=spec))
        .select_related("grid")
        .order_by("name")
    )
    return render(request, "areas/my_communities.html", {"communities": mine, "specialist": spec})


class AreasImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))
    check_only = forms.BooleanField(label=gettext_lazy("Check only, save nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("“%(name)s” is not an .xlsx workbook; save it from Excel as .xlsx.")
                % {"name": upload.name}
            )
        if upload.size > MAX_WORKBOOK_BYTES:
            raise forms.ValidationError(_("The workbook is larger than 20 MB."))
        return upload


@role_required([Role.ADMIN])
def import_areas_page(request: HttpRequest) -> HttpResponse:
    result = None
    form = AreasImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        by = request.user if isinstance(request.user, User) else None
        result = import_areas(
            form.cleaned_data["file"], by=by, dry_run=form.cleaned_data["check_only"]
        )
    context = {"form": form, "result": result, "sheets": workbook.SHEETS}
    return render(request, "areas/import.html", context)


@role_required([Role.ADMIN])
def export_areas_page(request: HttpRequest) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(export_book(), f"mains-areas-{stamp}.xlsx")
