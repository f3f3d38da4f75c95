from django.contrib import admin

from mains.outages.models import Outage, OutageCaller, OutageEvent


class OutageCallerInline(admin.TabularInline):
    model = OutageCaller
    extra = 0
    fields = ("name", "phone", "order", "attached_by", "attached_at", "notified_at")
    readonly_fields = fields
    can_delete = False


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
