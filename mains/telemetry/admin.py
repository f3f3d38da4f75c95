from django.contrib import admin

from mains.telemetry.models import Meter, QuarantinedReading


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "community", "service_pressure_mpa", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "community__name"]
    raw_id_fields = ["community"]


@admin.register(QuarantinedReading)
class QuarantinedReadingAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "line_number", "reason", "raw"]
    search_fields = ["source", "reason", "raw"]
    list_filter = ["reason"]
