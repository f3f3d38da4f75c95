from django.contrib import admin

from mains.supervision.models import Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["filed_at", "supervisor", "kind", "community", "answer_due", "answered_at"]
    list_filter = ["kind"]
    search_fields = ["text", "answer"]
