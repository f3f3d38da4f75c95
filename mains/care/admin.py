from django.contrib import admin

from mains.care.models import Resident, Visit


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["community", "group", "visit_every_days", "last_visit_at", "active"]
    list_filter = ["group", "active"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["resident", "by", "at", "help"]
    list_filter = ["help"]
