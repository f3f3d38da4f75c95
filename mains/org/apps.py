from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "mains.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from mains import checks  # noqa: F401  (registers mains' own system checks)
