from django.contrib import admin

from mains.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["prefix", "created", "last_used"]
    fields = ["user", "name", "prefix", "created", "last_used", "revoked"]

    def has_add_permission(self, request) -> bool:
        # A key is shown only once, by `mains api_token create`.
        return False
