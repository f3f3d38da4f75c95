"""The resident's two forms: report a problem, and look an order up."""

import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community
from mains.desk.forms import IMAGE_TYPES, is_what_it_claims
from mains.desk.models import Category
from mains.desk.visibility import public_categories
from mains.lib.fields import IdentifierField, LineField, PhoneField, ProseField

PHOTO_ACCEPT = ",".join(sorted(IMAGE_TYPES))


class PhotoField(forms.FileField):
    """One optional photo: the desk's size limit and its check that a photo is a photo."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is larger than %(size)s; choose a smaller one.")
                % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            )
        if upload.content_type not in IMAGE_TYPES or not is_what_it_claims(upload):
            raise forms.ValidationError(
                _("%(name)s is not a photo (JPEG, PNG, WebP, HEIC or GIF).") % {"name": upload.name}
            )
        return upload


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is the problem?"),
        queryset=Category.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose what the problem is about."),
            "invalid_choice": _("Choose what the problem is about from the list."),
        },
    )
    description = ProseField(
        label=_("Describe it"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": _("Where, since when, what you see…")}
        ),
        error_messages={"required": _("Tell us in a few words what is wrong.")},
    )
    address = LineField(
        label=_("Building, unit and room (optional)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 3号楼2单元501")}),
    )
    phone = PhoneField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Give a phone number so the specialist can reach you.")},
    )
    photo = PhotoField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, community: Community, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        # Internal categories are not offered, and a posted one is refused as not in the list.
        field.queryset = public_categories().filter(utility=community.utility)

    def clean_description(self) -> str:
        text = self.cleaned_data.get("description", "").strip()
        if not text:
            raise forms.ValidationError(_("Tell us in a few words what is wrong."))
        return text

    def full_address(self) -> str:
        """The community's address, followed by what the resident typed."""
        detail = self.cleaned_data.get("address", "").strip()
        if not detail:
            return ""
        return f"{self.community.name} {detail}"[:200]


class TrackForm(forms.Form):
    number = IdentifierField(
        label=_("Order number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter the order number you were given.")},
    )
    last_four = IdentifierField(
        label=_("Last four digits of your phone number"),
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}
        ),
        error_messages={"required": _("Enter the last four digits of your phone number.")},
    )

    def clean_last_four(self) -> str:
        digits = self.cleaned_data.get("last_four", "")
        if not re.fullmatch(r"[0-9]{4}", digits):
            raise forms.ValidationError(_("Enter exactly four digits."))
        return digits
