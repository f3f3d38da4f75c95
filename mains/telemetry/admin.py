from django.contrib import admin

from mains.telemetry.models import Alarm, IngestBatch, Meter, QuarantinedReading


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "community", "service_pressure_mpa", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "community__name"]
    raw_id_fields = ["community", "resident"]


@admin.register(QuarantinedReading)
class QuarantinedReadingAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "line_number", "reason", "raw"]
    search_fields = ["source", "reason", "raw"]
    list_filter = ["reason"]


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    list_display = ["raised_at", "meter", "kind", "state", "cleared_at", "work_order"]
    list_filter = ["kind", "state"]
    search_fields = ["meter__code"]
    raw_id_fields = ["meter", "work_order"]


@admin.register(IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "batch_id", "stored", "quarantined"]
    search_fields = ["batch_id", "sender__username"]
    readonly_fields = ["sender", "batch_id", "content_hash", "stored", "quarantined", "answer"]
