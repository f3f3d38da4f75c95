from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "mains.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from mains.notify import checks  # noqa: F401  (registers the system checks)
