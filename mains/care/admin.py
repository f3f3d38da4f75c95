from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mains.care.models import Resident, Visit
from mains.lib.admin import ReadOnlyAdminMixin
from mains.lib.masking import mask_name
from mains.org.admin_pii import PersonalDataAdmin


@admin.register(Resident)
class ResidentAdmin(PersonalDataAdmin):
    """Residents are registered, with their consent, on the Special groups page."""

    personal_fields = {"name": "name", "phone": "phone", "address": "address", "notes": "text"}
    personal_note = _(
        "The resident's personal data is masked and read-only here. Residents are registered, "
        "with their consent, on the Special groups page (/care/residents/); here only the "
        "visit interval and whether they are still looked after can be changed."
    )
    list_display = ["masked_name", "community", "group", "visit_every_days", "last_visit_at"]
    list_display_links = ["masked_name"]
    list_filter = ["group", "active"]
    search_fields = ["community__name"]  # never by name or phone: who is in a special group
    readonly_fields = ["community", "group", "consent_at", "consent_by", "consent_note"]
    readonly_fields += ["last_visit_at"]

    @admin.display(description=_("name"))
    def masked_name(self, obj: Resident) -> str:
        return mask_name(obj.name)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, PersonalDataAdmin):
    """The visits' log, as the specialists recorded it: read-only."""

    personal_fields = {"note": "text"}
    personal_note = _("Visits are recorded by the grid specialists; the note is hidden here.")
    list_display = ["resident", "by", "at", "help"]
    list_filter = ["help"]
    list_select_related = ["resident__community", "by"]

    def personal_subject(self, obj: Visit) -> str:
        return f"resident:{obj.resident_id}"
