from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mains.lib.pinyin import full_pinyin, pinyin_initials
from mains.org.models import Unit, Utility


class Specialist(models.Model):
    """A grid service specialist (网格服务专员): the face on the notice board."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("log-in"),
        on_delete=models.PROTECT,
        related_name="specialist",
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("work phone"), max_length=30)
    photo = models.ImageField(_("photo"), upload_to="specialists/", blank=True)
    duties = models.TextField(_("duties"), blank=True)
    service_content = models.TextField(_("service content"), blank=True)

    class Meta:
        verbose_name = _("grid specialist")
        verbose_name_plural = _("grid specialists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A set of communities answered for by one specialist (with a deputy)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="grids"
    )
    specialist = models.ForeignKey(
        Specialist,
        verbose_name=_("specialist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )
    deputy = models.ForeignKey(
        Specialist,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_grids",
    )

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Community(models.Model):
    """A residential community (小区)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    pinyin = models.CharField(_("pinyin"), max_length=300, db_index=True, editable=False)
    initials = models.CharField(_("pinyin initials"), max_length=100, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    service_pressure_mpa = models.FloatField(
        _("service pressure (MPa)"),
        null=True,
        blank=True,
        help_text=_("The pressure residents are owed; empty: 0.14 MPa."),
    )
    utility = models.CharField(
        _("utility"), max_length=10, choices=Utility.choices, default=Utility.WATER
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pinyin = full_pinyin(self.name)
        self.initials = pinyin_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin", "initials"}
        super().save(*args, **kwargs)


class GridAssignment(models.Model):
    """One period of a specialist (and deputy) answering for a grid."""

    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="assignments"
    )
    specialist = models.ForeignKey(
        Specialist, verbose_name=_("specialist"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        Specialist,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid__code", "-started_at"]

    def __str__(self) -> str:
        return f"{self.grid.code} → {self.specialist}"
