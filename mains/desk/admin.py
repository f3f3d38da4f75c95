from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mains.desk.models import (
    Calendar,
    Category,
    KpiTarget,
    OrderEvent,
    SpecialDay,
    WorkingWindow,
    WorkOrder,
)
from mains.lib.admin import ReadOnlyAdminMixin
from mains.org.admin_pii import PersonalDataAdmin


class WorkingWindowInline(admin.TabularInline):
    model = WorkingWindow
    extra = 1


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "round_the_clock"]
    inlines = [WorkingWindowInline]


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "utility",
        "priority",
        "unit",
        "calendar",
        "accept_minutes",
        "arrive_minutes",
        "resolve_minutes",
        "callback_minutes",
        "active",
        "visibility",
    ]
    list_filter = ["utility", "priority", "active", "visibility"]
    list_editable = ["accept_minutes", "arrive_minutes", "resolve_minutes", "callback_minutes"]
    search_fields = ["code", "name"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_state", "to_state", "note")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdminMixin, PersonalDataAdmin):
    """Read-only here: orders change only through the desk's actions."""

    personal_fields = {"caller_name": "name", "caller_phone": "phone", "address": "address"}
    personal_note = _(
        "The caller's data is masked and read-only here: orders change only through the "
        "desk's actions."
    )
    list_display = ["number", "state", "category", "community", "specialist", "received_at"]
    list_filter = ["state", "channel", "category"]
    # A phone is found only whole, as on the desk's order search: never by a part of it.
    search_fields = ["number", "=caller_phone"]
    inlines = [OrderEventInline]
    raw_id_fields = ["community", "duplicate_of"]


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    """The goals of the KPI page (also set on its own targets page)."""

    list_display = ["kpi", "target", "direction", "updated_at", "updated_by"]
    list_editable = ["target", "direction"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
