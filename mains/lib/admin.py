"""What the Django admin's records of history share: shown, never added, changed or deleted."""


class ReadOnlyAdminMixin:
    """For records that only mains' own actions write (orders, visits, messages, the access
    log): the admin shows them; a change there would bypass the history they keep."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
