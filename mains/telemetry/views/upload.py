"""The upload page: a CSV or Parquet file of readings, checked and stored like the command's."""

import tempfile
from collections import Counter
from pathlib import Path

import pyarrow as pa
from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.org.decorators import role_required
from mains.org.roles import READINGS_ROLES
from mains.telemetry.ingest.files import import_file
from mains.telemetry.ingest.intake import ImportResult, after_ingest

SUFFIXES = (".csv", ".parquet")
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of readings"),
        help_text=gettext_lazy(
            "CSV with the header meter_id,ts,flow_m3h,pressure_mpa, or Parquet with those columns."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Choose a .csv or .parquet file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; import it with “mains telemetry import”.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _store(upload, source: str) -> ImportResult:
    suffix = Path(upload.name).suffix.lower()
    if hasattr(upload, "temporary_file_path"):  # a large upload, already on disk
        on_disk = Path(upload.temporary_file_path())
        if on_disk.suffix.lower() == suffix:  # Django keeps the name's suffix
            return import_file(on_disk, source)
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return import_file(Path(copy.name), source)


@role_required(READINGS_ROLES)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = f"upload {timezone.localtime():%Y-%m-%d %H:%M:%S} {upload.name}"[:255]
        try:
            result = _store(upload, source)
        except (ValueError, UnicodeDecodeError, OSError, pa.ArrowException) as error:
            form.add_error(
                "file", _("This file cannot be imported: %(why)s") % {"why": _reason(error)}
            )
        else:
            after_ingest(result)
            context.update(
                result=result,
                reasons=Counter(reason for _line, reason in result.refused).most_common(),
                quarantine_url=reverse("telemetry:quarantine")
                + "?"
                + urlencode({"source": source}),
            )
    return render(request, "telemetry/upload.html", context)


def _reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    if isinstance(error, pa.ArrowException):
        return _("it is not a Parquet file that can be read (%(detail)s)") % {
            "detail": str(error)[:200]
        }
    return str(error)
