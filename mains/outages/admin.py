from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mains.outages.models import Outage, OutageCaller, OutageEvent


class OutageCallerInline(admin.TabularInline):
    model = OutageCaller
    extra = 0
    # Masked, and not revealed here: the desk's outage page shows callers the same way.
    fields = ("caller_name", "caller_phone", "order", "attached_by", "attached_at", "notified_at")
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("name"))
    def caller_name(self, obj: OutageCaller) -> str:
        return obj.masked_name

    @admin.display(description=_("phone"))
    def caller_phone(self, obj: OutageCaller) -> str:
        return obj.masked_phone


class OutageEventInline(admin.TabularInline):
    model = OutageEvent
    extra = 0
    fields = ("at", "kind", "by", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    """Read-mostly: outages are announced, changed and ended on the outage pages."""

    list_display = ("pk", "kind", "utility", "starts_at", "ends_at", "status", "ended_at")
    list_filter = ("kind", "utility", "status")
    search_fields = ("reason", "communities__name")
    filter_horizontal = ("communities",)
    readonly_fields = ("status", "ended_at", "created_by", "created_at", "changed_at", "version")
    inlines = [OutageCallerInline, OutageEventInline]
