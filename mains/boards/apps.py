from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "mains.boards"
    label = "boards"
    verbose_name = _("Notice boards")

    def ready(self) -> None:
        from mains.boards import receivers  # noqa: F401  (connects to areas' signals)
