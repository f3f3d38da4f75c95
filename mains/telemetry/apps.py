from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelemetryConfig(AppConfig):
    name = "mains.telemetry"
    label = "telemetry"
    verbose_name = _("Network watch")

    def ready(self) -> None:
        # djhuey discovers only modules named `tasks`; the store's nightly upkeep lives apart.
        from mains.telemetry import upkeep_tasks  # noqa: F401
