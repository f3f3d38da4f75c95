"""Residents' personal data in the Django admin: masked by default, like the pages.

A `PersonalDataAdmin` leaves its `personal_fields` out of forms (so they are read-only
here), shows them masked above the form, and unmasks them only after a reveal with a reason
(the same `do_reveal` as the pages, for 15 minutes); each change view that then shows them
writes an access log entry with the purpose "administration". The changelist refuses
lookups on personal fields (`?caller_phone__startswith=138` would be an oracle); searching
is declared per admin and matches a phone only whole (`=caller_phone`), as the desk's order
search does.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mains.org.pii import MASKERS, Purpose, do_reveal, revealed_reason, show, subject_of

HIDDEN_TEXT = gettext_lazy("(hidden: show the personal data with a reason to read it)")


class PersonalDataAdmin(admin.ModelAdmin):
    # model field → how it is masked: name, phone, address (mains.lib.masking), text (hidden)
    personal_fields: dict[str, str] = {}
    personal_note = gettext_lazy("Personal data is masked and cannot be changed here.")
    change_form_template = "admin/personal_data_change_form.html"

    def personal_subject(self, obj) -> str:
        return subject_of(obj)

    def masked(self, obj, field: str, kind: str, value: str) -> str:
        if kind == "text":
            return str(HIDDEN_TEXT) if value else ""
        return MASKERS[kind](value)

    def logged_name(self, field: str, kind: str) -> str:
        return kind if kind in MASKERS else field

    # Forms, lists and lookups never carry the raw values.
    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.personal_fields]

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if lookup.split("__", 1)[0] in self.personal_fields:
            return False
        return super().lookup_allowed(lookup, value, request)

    # The change view: masked values, or unmasked and logged after a reveal.
    def personal_rows(self, request: HttpRequest, obj) -> list[tuple[str, str]]:
        subject = self.personal_subject(obj)
        rows = []
        for field, kind in self.personal_fields.items():
            value = str(getattr(obj, field) or "")

            def mask(raw: str, field: str = field, kind: str = kind) -> str:
                return self.masked(obj, field, kind, raw)

            shown = show(
                request,
                subject,
                self.logged_name(field, kind),
                value,
                revealed_purpose=Purpose.ADMINISTRATION,
                mask=mask,
            )
            label = self.model._meta.get_field(field).verbose_name
            rows.append((str(label), shown or "—"))
        return rows

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            subject = self.personal_subject(obj)
            extra_context = {
                **(extra_context or {}),
                "personal_rows": self.personal_rows(request, obj),
                "personal_note": self.personal_note,
                "personal_revealed": revealed_reason(request, subject) is not None,
                "personal_reveal_url": reverse(
                    f"{self.admin_site.name}:{self._info()}_reveal", args=[obj.pk]
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _info(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def get_urls(self):
        reveal = self.admin_site.admin_view(require_POST(self.reveal_view))
        return [
            path("<path:object_id>/reveal/", reveal, name=f"{self._info()}_reveal"),
            *super().get_urls(),
        ]

    def reveal_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        target = reverse(f"{self.admin_site.name}:{self._info()}_change", args=[obj.pk])
        reason = request.POST.get("reason", "").strip()
        if len(reason) < 2:
            messages.error(request, _("Give a reason to show the personal data."))
            return HttpResponseRedirect(target)
        fields = ",".join(self.logged_name(f, k) for f, k in self.personal_fields.items())
        do_reveal(
            request,  # type: ignore[arg-type]
            self.personal_subject(obj),
            fields,
            reason,
            purpose=Purpose.ADMINISTRATION,
        )
        return HttpResponseRedirect(target)
