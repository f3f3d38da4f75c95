"""What the order list says about a KPI drill-down: which orders, how many, the way back."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from mains.areas.models import Grid, Specialist
from mains.desk.kpi_orders import CONDITION_LABELS, GROUP_PARAMS, NONE, DrillDownForm
from mains.desk.models import Category, WorkOrder
from mains.org.models import Unit

GROUP_MODELS: dict[str, type[Unit | Grid | Specialist | Category]] = {
    "unit": Unit,
    "grid": Grid,
    "specialist": Specialist,
    "category": Category,
}
GROUP_LABELS = {
    "unit": gettext_lazy("Unit"),
    "grid": gettext_lazy("Grid"),
    "specialist": gettext_lazy("Specialist"),
    "category": gettext_lazy("Category"),
}


def _group_names(data: dict) -> list[str]:
    names = []
    for param in GROUP_PARAMS:
        value = data.get(param)
        if value == NONE:
            names.append(_("%(group)s: none") % {"group": GROUP_LABELS[param]})
        elif value:
            found = GROUP_MODELS[param].objects.filter(pk=value).first()
            missing = _("%(group)s: not found") % {"group": GROUP_LABELS[param]}
            names.append(str(found) if found else missing)
    return names


def drill_down_context(form: DrillDownForm, orders: QuerySet[WorkOrder]) -> dict:
    """The filters as typed (kept in the search form), errors or what they select."""
    context: dict = {"form": form, "params": [(n, form.data.get(n, "")) for n in form.fields]}
    if not form.is_valid():
        return context
    data = form.cleaned_data
    start, end = data.get("received_from"), data.get("received_to")
    back: dict = {}
    if start and end:
        back = {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    parts = [str(CONDITION_LABELS[data["kpi"]])] if data.get("kpi") else []
    if start or end:
        parts.append(
            _("received %(start)s – %(end)s")
            % {
                "start": f"{start:%Y-%m-%d}" if start else "…",
                "end": f"{end:%Y-%m-%d}" if end else "…",
            }
        )
    parts += _group_names(data)
    context.update(
        {
            "count": orders.count(),
            "description": pgettext("a list of filters", ", ").join(parts),
            "kpis_url": f"{reverse('desk:kpis')}?{urlencode(back)}" if back else "",
        }
    )
    return context
