"""The KPI rollup's tables (the computation is in mains.desk.rollup).

KpiRollup holds, per local day of receipt, per unit (the scope a unit manager sees) and
per group of one grouping, the additive counts of mains.desk.kpis over the orders
received that day. KpiDay says which days the rollup may answer for: a day is *clean*
while ``built == changes``. Every write to an order bumps ``changes`` of the day the
order was received on, in the write's transaction; a rebuild records the ``changes`` it
read before counting, so a write the rebuild did not see leaves the day dirty.
"""

from django.db import connection, models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KpiDay(models.Model):
    day = models.DateField(_("day"), unique=True)
    changes = models.BigIntegerField(_("changes"), default=0)
    built = models.BigIntegerField(_("built at change"), null=True, blank=True)

    class Meta:
        app_label = "desk"
        verbose_name = _("KPI rollup day")
        verbose_name_plural = _("KPI rollup days")

    def __str__(self) -> str:
        return f"{self.day} {self.built}/{self.changes}"


class KpiRollup(models.Model):
    day = models.DateField(_("day"))
    dimension = models.CharField(_("dimension"), max_length=12)
    unit_id = models.IntegerField(_("unit"), null=True, blank=True)
    key = models.IntegerField(_("group"), null=True, blank=True)
    received = models.IntegerField(_("received"), default=0)
    not_cancelled = models.IntegerField(_("not cancelled"), default=0)
    accepted = models.IntegerField(_("accepted"), default=0)
    accepted_on_time = models.IntegerField(_("accepted on time"), default=0)
    visited = models.IntegerField(_("site visits"), default=0)
    visited_on_time = models.IntegerField(_("on site on time"), default=0)
    resolved = models.IntegerField(_("resolved"), default=0)
    resolved_on_time = models.IntegerField(_("resolved on time"), default=0)
    worked = models.IntegerField(_("resolved at least once"), default=0)
    redone = models.IntegerField(_("re-done"), default=0)
    answered_directly = models.IntegerField(_("answered directly"), default=0)
    called_back = models.IntegerField(_("called back"), default=0)
    callbacks = models.IntegerField(_("valid callbacks"), default=0)
    satisfied_callbacks = models.IntegerField(_("satisfied callbacks"), default=0)

    class Meta:
        app_label = "desk"
        verbose_name = _("KPI rollup row")
        verbose_name_plural = _("KPI rollup rows")
        indexes = [models.Index(fields=["dimension", "day"], name="kpi_rollup_dim_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.unit_id} {self.key}"


def touch(received_at) -> None:
    """Mark the day an order was received on as changed, in the caller's transaction.

    An upsert: the first write of a day creates its row, so a rebuild that began before
    the write (and did not see it) cannot leave the day clean (see the module docstring).
    """
    if received_at is None:
        return
    day = timezone.localdate(received_at, timezone=timezone.get_default_timezone())
    table = connection.ops.quote_name(KpiDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, changes) VALUES (%s, 1) "
            f"ON CONFLICT (day) DO UPDATE SET changes = {table}.changes + 1",
            [day],
        )


def _touched(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    if hasattr(instance, "received_at"):
        touch(instance.received_at)
    else:  # a callback: the day of its order
        order_model = type(instance)._meta.get_field("order").related_model
        touch(
            order_model.objects.filter(pk=instance.order_id)
            .values_list("received_at", flat=True)
            .first()
        )


# Writes that go through the ORM's save and delete (creating an order, a callback, the
# admin); the actions' UPDATEs call `touch` themselves (mains.desk.actions._apply).
for _model in ("desk.WorkOrder", "desk.Callback"):
    post_save.connect(_touched, sender=_model, dispatch_uid=f"kpi-rollup-save-{_model}")
    post_delete.connect(_touched, sender=_model, dispatch_uid=f"kpi-rollup-delete-{_model}")
