from django import forms
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.areas.widgets import CommunitySearchInput
from mains.lib.fields import ProseField
from mains.supervision.models import Observation


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label=_("About"), choices=Observation.Kind.choices)
    community = forms.ModelChoiceField(
        label=_("Community (if it concerns one)"),
        queryset=Community.objects.all(),
        required=False,
        widget=CommunitySearchInput,
    )
    text = ProseField(
        label=_("Your observation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write what you observed.")},
    )

    def clean_community(self) -> Community | None:
        community = self.cleaned_data["community"]
        typed = self.fields["community"].widget.typed.strip()
        if community is None and typed:
            raise forms.ValidationError(
                _("Pick the community from the list that opens as you type, or clear the box.")
            )
        return community


class AnswerForm(forms.Form):
    answer = ProseField(
        label=_("Answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the answer.")},
    )
