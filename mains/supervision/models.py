from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.desk.models import SlaLevel

# An observation not answered this close to its deadline shows yellow.
WARN_BEFORE = timedelta(days=1)


class Observation(models.Model):
    """A social supervisor's remark (社会监督员意见); it must be answered by a deadline."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service quality")
        INTEGRITY = "integrity", _("Integrity")
        BUSINESS = "business", _("Business environment")
        OTHER = "other", _("Other")

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    kind = models.CharField(_("about"), max_length=12, choices=Kind.choices)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("observation"))
    filed_at = models.DateTimeField(_("filed"), db_index=True)
    answer_due = models.DateTimeField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervisor observation")
        verbose_name_plural = _("supervisor observations")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_at:%Y-%m-%d}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def answer_level(self, now: datetime | None = None) -> str:
        """The SLA colour of the answer, as for orders: "green" on time, "yellow" within
        WARN_BEFORE of the deadline, "red" past it; "answered" once answered (late or not)."""
        if self.is_answered:
            return "answered"
        now = now or timezone.now()
        if now >= self.answer_due:
            return SlaLevel.RED.value
        if now >= self.answer_due - WARN_BEFORE:
            return SlaLevel.YELLOW.value
        return SlaLevel.GREEN.value

    @property
    def level(self) -> str:
        return self.answer_level()
