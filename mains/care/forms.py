from django import forms
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.care.models import Resident, Visit
from mains.lib.fields import LineField, PhoneField, ProseField


class ResidentForm(forms.Form):
    name = LineField(label=_("Resident's name"), max_length=50)
    phone = PhoneField(label=_("Phone"), max_length=30)
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.order_by("name")
    )
    address = LineField(label=_("Address (building, unit, room)"), max_length=200)
    group = forms.ChoiceField(label=_("Special group"), choices=Resident.Group.choices)
    visit_every_days = forms.IntegerField(
        label=_("Visit every (days)"), min_value=1, max_value=365, initial=30
    )
    consent_note = LineField(
        label=_("Consent"),
        max_length=200,
        help_text=_("How the resident (or their guardian) agreed, e.g. signed form of 2026-11-21."),
        error_messages={"required": _("Record the resident's consent before registering them.")},
    )
    notes = ProseField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    help = forms.ChoiceField(
        label=_("What was done"),
        choices=Visit.Help.choices,
        error_messages={"required": _("Choose what was done.")},
    )
    note = ProseField(label=_("Note"), required=False, max_length=2000)
