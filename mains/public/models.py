from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """One fixed window's count of one thing, shared by every process through the database.

    The key names the limit, the window and a hash of what is counted (never a phone
    number or an address in clear); rows whose window has ended are purged every hour.
    """

    key = models.CharField(_("key"), max_length=120, primary_key=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
