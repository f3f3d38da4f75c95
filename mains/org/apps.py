from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "mains.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Importing the modules registers their system checks: mains' own (deploy, debug)
        # and the organisation's (the access log's retention and middleware).
        import mains.checks  # noqa: F401
        import mains.org.checks  # noqa: F401
