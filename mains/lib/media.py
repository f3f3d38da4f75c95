"""Files under MEDIA_ROOT: which are public on purpose, and how the others are named and served.

Public on purpose, at /media/<prefix>… to anyone (Django in development, nginx's public
location in production; see README, "Running it in production"):

- ``specialists/``: the grid specialist's photo. It is printed on the community's notice
  board and shown on the residents' page /c/<id>/, so residents know whom they let in; it
  is the staff member's work portrait, not a resident's data.
- ``boards/installed/``: photos of an installed notice board on its wall, the proof that a
  public notice hangs in a public place (the coverage page shows them).

Everything else is private: work-order attachments (residents' and field photos, PDFs,
alarm evidence) and the notice-board batch PDFs. A private file has an unguessable stored
name (``private_name``), no public URL (``PrivateFileField``: its ``.url`` is the view
that checks access) and is served only by such a view through ``private_file_response``.
"""

import functools
import mimetypes
import os
import posixpath
import re
import secrets
import shutil
import unicodedata
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header

PUBLIC_MEDIA_PREFIXES = ("specialists/", "boards/installed/")

TOKEN_BYTES = 16  # 128 random bits per stored name
# Extensions a private file keeps (the types the desk accepts, and alarm evidence); any
# other is dropped, so a stored name never ends in .html, .svg or .php.
SAFE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".pdf", ".csv"}
)
# Shown in the browser; everything else is downloaded. SVG stays out: it can run scripts.
INLINE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "application/pdf"}
)
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
DOWNLOAD_NAME_MAX = 150


def is_public_media(name: str) -> bool:
    """Is this stored name (relative to MEDIA_ROOT) public on purpose?"""
    clean = posixpath.normpath(name).lstrip("/")
    return clean.startswith(PUBLIC_MEDIA_PREFIXES)


def safe_extension(filename: str) -> str:
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    return suffix if suffix in SAFE_EXTENSIONS else ""


def private_name(folder: str, filename: str, day: date | None = None) -> str:
    """``folder/[YYYY/MM/]<32 hex digits><safe extension>``: nothing of the uploaded name."""
    dated = f"{day:%Y/%m}/" if day else ""
    return f"{folder}/{dated}{secrets.token_hex(TOKEN_BYTES)}{safe_extension(filename)}"


def is_private_name(name: str, folder: str) -> bool:
    pattern = rf"{re.escape(folder)}/(\d{{4}}/\d{{2}}/)?[0-9a-f]{{{TOKEN_BYTES * 2}}}(\.[a-z0-9]+)?"
    return re.fullmatch(pattern, name) is not None


class PrivateFieldFile(FieldFile):
    """A private file's URL is its model's access-checked view, never /media/…."""

    @property
    def url(self) -> str:
        if not self:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        return self.instance.get_absolute_url()  # type: ignore[attr-defined]


class PrivateFileField(models.FileField):
    """A file stored under ``folder`` with an unguessable name; the model must give its
    ``get_absolute_url`` (the view that checks access and calls ``private_file_response``)."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, folder: str, dated: bool = True, **kwargs):
        self.folder = folder
        self.dated = dated
        kwargs["upload_to"] = self._stored_name
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract and cls.__module__ != "__fake__":  # not migrations' models
            post_delete.connect(
                _forget_files, sender=cls, dispatch_uid=f"private:{cls._meta.label}"
            )

    def _stored_name(self, instance, filename: str) -> str:
        return private_name(self.folder, filename, timezone.localdate() if self.dated else None)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["folder"] = self.folder
        if not self.dated:
            kwargs["dated"] = False
        return name, path, args, kwargs


def _forget_files(sender, instance, using=None, **kwargs) -> None:
    """A deleted row takes its private files with it (an order deleted in the admin, a
    cascade), once the deletion is committed: a rollback keeps row and file together."""
    for field in sender._meta.concrete_fields:
        if isinstance(field, PrivateFileField):
            stored = getattr(instance, field.attname).name
            if stored:
                transaction.on_commit(functools.partial(field.storage.delete, stored), using=using)


def download_name(name: str, stored_name: str) -> str:
    """The name a browser saves the file as: the uploaded name (Chinese kept) without
    folders, control, bidi or zero-width characters."""
    kept = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    kept = kept.replace("/", "_").replace("\\", "_").strip(" .")
    return kept[:DOWNLOAD_NAME_MAX] or "file" + safe_extension(stored_name)


def served_content_type(recorded: str, stored_name: str) -> str:
    recorded = (recorded or "").strip().lower()
    if _CONTENT_TYPE.match(recorded):
        return recorded
    return mimetypes.guess_type(stored_name)[0] or "application/octet-stream"


def private_file_response(
    file: FieldFile, *, name: str, content_type: str, download: bool = False
) -> HttpResponseBase:
    """The file for a user the caller has checked: streamed, or handed to nginx with
    X-Accel-Redirect when MEDIA_ACCEL_REDIRECT_PREFIX is set. Photos and PDFs open in the
    browser unless ``download``; other types are always downloaded. A missing file is 404."""
    stored = file.name
    if not stored:
        raise Http404
    served_type = served_content_type(content_type, stored)
    as_attachment = download or served_type not in INLINE_TYPES
    filename = download_name(name, stored)
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(b"", content_type=served_type)
        response["X-Accel-Redirect"] = f"{prefix}/{quote(stored)}"
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    else:
        try:
            handle = file.storage.open(stored, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, content_type=served_type, as_attachment=as_attachment, filename=filename
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


def copy_to_private_name(storage: Storage, name: str, folder: str, day: date | None) -> str | None:
    """A second name for a stored file, private; None when the file is missing. The caller
    points its row at the new name, then deletes the old one: a crash in between leaves an
    extra name on disk, never a row without its file. A hard link when the storage is a
    folder on disk (instant, no copy), a copy otherwise."""
    if not storage.exists(name):
        return None
    new = private_name(folder, name, day)
    try:
        source, target = Path(storage.path(name)), Path(storage.path(new))
    except NotImplementedError:
        with storage.open(name, "rb") as handle:
            return storage.save(new, handle)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed there
        shutil.copy2(source, target)
    return new


def rename_to_private_names(model, folder: str, day_field: str | None = None) -> dict[str, int]:
    """For data migrations: give the stored file of every row of ``model`` (its ``file``)
    a private name. Rows already private, and rows whose file is missing, are left as they
    are, so it is safe to run twice. Old names are deleted only once the new ones are
    committed; a migration that fails leaves the old rows and files as they were."""
    storage = model._meta.get_field("file").storage
    done: dict[str, str] = {}
    counts = {"renamed": 0, "missing": 0}
    for row in model.objects.exclude(file="").iterator():
        old = row.file.name
        if is_private_name(old, folder):
            continue
        first = old not in done
        if first:
            stamp = getattr(row, day_field) if day_field else None
            day = timezone.localdate(stamp) if stamp else None
            new = copy_to_private_name(storage, old, folder, day)
            if new is None:
                counts["missing"] += 1
                continue
            done[old] = new
        model.objects.filter(pk=row.pk).update(file=done[old])
        counts["renamed"] += 1
        if first:  # after the row: outside a transaction on_commit runs at once
            transaction.on_commit(functools.partial(storage.delete, old))
    return counts
