from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community, Grid
from mains.lib.fields import ProseField
from mains.org.models import Utility
from mains.outages.models import Outage
from mains.outages.rules import short_notice_warning

WHEN_FORMAT = "%Y-%m-%dT%H:%M"


class WhenInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=WHEN_FORMAT)


class OutageForm(forms.Form):
    """Announce or change an outage. Communities come from grids, the list and the search."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Outage.Kind.choices)
    utility = forms.ChoiceField(label=_("Utility"), choices=Utility.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=WhenInput(), input_formats=[WHEN_FORMAT, "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Expected restoration"),
        widget=WhenInput(),
        input_formats=[WHEN_FORMAT, "%Y-%m-%d %H:%M"],
    )
    reason = ProseField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    grids = forms.ModelMultipleChoiceField(
        label=_("Every community of these grids"),
        queryset=Grid.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        queryset=Community.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, outage: Outage | None = None, **kwargs):
        if outage is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": outage.kind,
                    "utility": outage.utility,
                    "starts_at": timezone.localtime(outage.starts_at),
                    "ends_at": timezone.localtime(outage.ends_at),
                    "reason": outage.reason,
                    "communities": list(outage.communities.all()),
                    "version": outage.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.outage = outage
        self.warning = ""
        if outage is not None:  # what an outage is does not change once announced
            self.fields["kind"].disabled = True
            self.fields["utility"].disabled = True

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The expected restoration must come after the start."))
        picked = {c.pk: c for c in data.get("communities") or []}
        if data.get("grids"):  # one query for every picked grid's communities
            for community in Community.objects.filter(grid__in=data["grids"]):
                picked.setdefault(community.pk, community)
        if not picked:
            self.add_error(
                "communities", _("Pick at least one community: by grid, list or search.")
            )
        data["all_communities"] = sorted(picked.values(), key=lambda c: c.name)
        moved = self.outage is None or starts_at != self.outage.starts_at
        if starts_at and ends_at and moved:
            kind = self.outage.kind if self.outage else data.get("kind", "")
            self.warning = short_notice_warning(kind, starts_at, ends_at)
        return data
