from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelemetryConfig(AppConfig):
    name = "mains.telemetry"
    label = "telemetry"
    verbose_name = _("Network watch")
