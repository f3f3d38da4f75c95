from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.lib.masking import mask_name


class Resident(models.Model):
    """A resident of a special group (特殊群体), registered with their recorded consent."""

    class Group(models.TextChoices):
        ELDERLY_ALONE = "elderly_alone", _("Elderly, living alone")
        DISABLED = "disabled", _("Disabled")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    address = models.CharField(_("address"), max_length=200)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(_("special group"), max_length=20, choices=Group.choices)
    consent_at = models.DateTimeField(_("consent given"))
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_note = models.CharField(_("how consent was given"), max_length=200)
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    class Meta:
        verbose_name = _("special-group resident")
        verbose_name_plural = _("special-group residents")
        ordering = ["community__name", "name"]

    def __str__(self) -> str:
        # Masked: the admin's lists, links and change history print residents by this.
        return f"{self.community} {mask_name(self.name)}"

    @property
    def next_visit_due(self):
        start = self.last_visit_at or self.consent_at
        return start + timedelta(days=self.visit_every_days)


class Visit(models.Model):
    class Help(models.TextChoices):
        PAID_BILL = "paid_bill", _("Helped pay the bill")
        METER = "meter", _("Checked the meter and pipes")
        REPAIR = "repair", _("Arranged a repair")
        CHAT = "chat", _("Visit and talk")
        OTHER = "other", _("Other")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="visits"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    help = models.CharField(_("what was done"), max_length=12, choices=Help.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.resident} {self.at:%Y-%m-%d}"
