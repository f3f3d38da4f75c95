from django.db import models
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """A ready answer for the hotline (水质、停水规则、缴费…)."""

    class Topic(models.TextChoices):
        WATER_QUALITY = "water_quality", _("Water quality, hardness and scale")
        OUTAGES = "outages", _("Outage rules")
        BILLS = "bills", _("Bills and payment")
        METERS = "meters", _("Meter reading")
        HEATING = "heating", _("Heating")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge base")
        ordering = ["topic", "title"]

    def __str__(self) -> str:
        return self.title
