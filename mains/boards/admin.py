from django.contrib import admin

from mains.boards.models import Board, BoardBatch


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["community", "state", "specialist_name", "generated_at", "installed_on"]
    list_filter = ["state"]
    search_fields = ["community__name", "specialist_name"]
    raw_id_fields = ["community", "batch", "generated_by", "installed_by"]
    # States change through mains.boards.actions only.
    readonly_fields = ["state", "generated_at", "printed_at", "installed_at", "outdated_at"]


@admin.register(BoardBatch)
class BoardBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "scope", "grid", "state", "pages", "seconds", "requested_at"]
    list_filter = ["state", "scope"]
    readonly_fields = ["state", "pages", "seconds", "finished_at", "error"]
