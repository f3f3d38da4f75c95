from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mains.lib.admin import ReadOnlyAdminMixin
from mains.org.models import AccessLog, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "full_name", "phone"]
    # No staff, superuser, group or permission boxes: the administrator role opens the admin.
    fieldsets = (
        (None, {"fields": ("username", "password", "is_active")}),
        (_("Work profile"), {"fields": ("full_name", "role", "unit", "phone", "email")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *(BaseUserAdmin.add_fieldsets or ()),
        (_("Work profile"), {"fields": ("full_name", "role", "unit", "phone")}),
    )


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "action", "subject", "fields", "purpose", "reason", "ip"]
    list_filter = ["action", "purpose"]
    search_fields = ["user__username", "subject", "reason"]
