from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "mains.public"
    label = "public"
    verbose_name = _("Residents' pages")

    def ready(self) -> None:
        from mains.public import checks  # noqa: F401  (registers the system checks)
