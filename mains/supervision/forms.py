from django import forms
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.lib.fields import ProseField
from mains.supervision.models import Observation


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label=_("About"), choices=Observation.Kind.choices)
    community = forms.ModelChoiceField(
        label=_("Community (if it concerns one)"),
        queryset=Community.objects.order_by("name"),
        required=False,
    )
    text = ProseField(
        label=_("Your observation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write what you observed.")},
    )


class AnswerForm(forms.Form):
    answer = ProseField(
        label=_("Answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the answer.")},
    )
