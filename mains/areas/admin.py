from django.contrib import admin

from mains.areas.models import Community, Grid, GridAssignment, Specialist


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "user"]
    search_fields = ["name", "phone"]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "specialist", "deputy"]
    list_filter = ["unit"]
    search_fields = ["code", "name"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "utility", "households", "grid", "service_pressure_mpa"]
    list_filter = ["utility", "grid__unit"]
    search_fields = ["name", "pinyin", "initials", "address"]


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin):
    list_display = ["grid", "specialist", "deputy", "started_at", "ended_at"]
    list_filter = ["grid"]
