from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mains.org.roles import Role


class Utility(models.TextChoices):
    WATER = "water", _("Water")
    HEAT = "heat", _("Heating")


class Unit(models.Model):
    """A node of the organisation tree: group → subsidiary → department or team."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        SUBSIDIARY = "subsidiary", _("Subsidiary")
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def path(self) -> list["Unit"]:
        node: Unit | None = self
        chain = []
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class MainsUserManager(UserManager["User"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `mains createsuperuser` makes an administrator: the role is what opens the admin.
        extra_fields.setdefault("role", Role.ADMIN)
        if extra_fields["role"] != Role.ADMIN:
            raise ValueError("A superuser must have the administrator role.")
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects: ClassVar[MainsUserManager] = MainsUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # The administrator role, and only it, configures mains in the Django admin: a user
        # whose role changes from administrator loses the admin with it.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class AccessLog(models.Model):
    """Who looked at or exported personal data, when and why (PIPL)."""

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        REVEAL = "reveal", _("Reveal")
        EXPORT = "export", _("Export")

    class Purpose(models.TextChoices):
        """Why personal data was shown unmasked: the role's need, or a reveal's reason."""

        WORKING = "working", _("Working the order")
        CALLBACK = "callback", _("Calling back")
        VISIT = "visit", _("Special-group visit")
        ADMINISTRATION = "admin", _("Administration")
        REVEALED = "revealed", _("Revealed with a reason")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject = models.CharField(pgettext_lazy("access log", "subject"), max_length=100)
    fields = models.CharField(_("fields"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.subject}"
