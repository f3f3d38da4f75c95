"""Outages (停水 / 停热): a time window over a set of communities, and the calls attached."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.lib.masking import mask_name, mask_phone
from mains.org.models import Utility


class Outage(models.Model):
    """A planned or emergency cut of water or heat.

    `status` is what people decided (announced, ended, cancelled); an announced outage
    whose start has passed reads as active (`phase_at`), with no write needed.
    """

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        EMERGENCY = "emergency", _("Emergency")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        ACTIVE = "active", _("Active")  # never stored: an announced outage past its start
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLANNED)
    utility = models.CharField(
        _("utility"), max_length=10, choices=Utility.choices, default=Utility.WATER
    )
    communities = models.ManyToManyField(
        Community, verbose_name=_("communities"), related_name="outages"
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("expected restoration"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ANNOUNCED, db_index=True
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("announced by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.get_utility_display()} · {self.get_kind_display()} · {start:%Y-%m-%d %H:%M}"

    def phase_at(self, at=None) -> str:
        """announced (not started yet), active, ended or cancelled."""
        if self.status == self.Status.ANNOUNCED and self.starts_at <= (at or timezone.now()):
            return self.Status.ACTIVE
        return self.status

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def phase_label(self) -> str:
        return str(self.Status(self.phase).label)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ANNOUNCED


class OutageCaller(models.Model):
    """A caller attached to an outage instead of a new order: told when it ends or changes."""

    outage = models.ForeignKey(
        Outage, verbose_name=_("outage"), on_delete=models.CASCADE, related_name="callers"
    )
    name = models.CharField(_("caller's name"), max_length=50, blank=True)
    phone = models.CharField(_("caller's phone"), max_length=30)
    order = models.ForeignKey(
        "desk.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attached by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attached_at = models.DateTimeField(_("attached"), default=timezone.now)
    notified_at = models.DateTimeField(_("last notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("attached caller")
        verbose_name_plural = _("attached callers")
        ordering = ["attached_at"]
        constraints = [
            models.UniqueConstraint(fields=["outage", "phone"], name="outage_caller_once")
        ]

    def __str__(self) -> str:
        return f"{self.masked_name} {self.masked_phone}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class OutageEvent(models.Model):
    """The history of an outage: who announced, changed, attached, ended it, and when."""

    class Kind(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        CHANGED = "changed", _("Changed")
        ATTACHED = "attached", _("Caller attached")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    outage = models.ForeignKey(
        Outage, verbose_name=_("outage"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("outage event")
        verbose_name_plural = _("outage events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
