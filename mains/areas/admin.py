from django.contrib import admin

from mains.areas.actions import do_assign_grid
from mains.areas.models import Community, Grid, GridAssignment, Specialist
from mains.areas.signals import grid_contact_changed


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "user"]
    search_fields = ["name", "phone"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "phone"} & set(form.changed_data):
            for grid in obj.grids.all():  # boards print the name and phone
                grid_contact_changed.send(Grid, grid=grid)


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "specialist", "deputy"]
    list_filter = ["unit"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        """A new specialist or deputy goes through the one assignment path (history, boards)."""
        if not change or not {"specialist", "deputy"} & set(form.changed_data):
            super().save_model(request, obj, form, change)
            return
        specialist, deputy = obj.specialist, obj.deputy
        if specialist is None:
            super().save_model(request, obj, form, change)
            grid_contact_changed.send(Grid, grid=obj)
            return
        before = Grid.objects.get(pk=obj.pk)
        obj.specialist, obj.deputy = before.specialist, before.deputy
        super().save_model(request, obj, form, change)
        do_assign_grid(obj, specialist, deputy, by=request.user)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "utility", "households", "grid", "service_pressure_mpa"]
    list_filter = ["utility", "grid__unit"]
    search_fields = ["name", "pinyin", "initials", "address"]


@admin.register(GridAssignment)
class GridAssignmentAdmin(admin.ModelAdmin):
    list_display = ["grid", "specialist", "deputy", "started_at", "ended_at"]
    list_filter = ["grid"]
