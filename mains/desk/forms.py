from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community, Specialist
from mains.areas.widgets import CommunitySearchInput
from mains.desk.models import Channel, Priority, Satisfaction, WorkOrder
from mains.desk.states import OPEN_STATES
from mains.desk.visibility import public_categories
from mains.lib.fields import IdentifierField, LineField, PhoneField, ProseField
from mains.org.models import Unit

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "image/gif"}
FILE_TYPES = IMAGE_TYPES | {"application/pdf"}
# What a file of each accepted type starts with (offset, bytes) and the names it may have.
# The type a browser sends is only guessed from the name, so both are checked: a page
# called x.html that claims to be a photo must not be stored and served as a web page.
FILE_SIGNATURES = {
    "image/jpeg": ((0, b"\xff\xd8\xff"), (".jpg", ".jpeg")),
    "image/png": ((0, b"\x89PNG\r\n\x1a\n"), (".png",)),
    "image/gif": ((0, b"GIF8"), (".gif",)),
    "image/webp": ((8, b"WEBP"), (".webp",)),
    "image/heic": ((4, b"ftyp"), (".heic", ".heif")),
    "application/pdf": ((0, b"%PDF-"), (".pdf",)),
}


def is_what_it_claims(upload) -> bool:
    signature = FILE_SIGNATURES.get(getattr(upload, "content_type", ""))
    if signature is None:
        return False
    (offset, magic), suffixes = signature
    upload.seek(0)
    head = upload.read(offset + len(magic))
    upload.seek(0)
    return head[offset:] == magic and upload.name.lower().endswith(suffixes)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(mb)s MB.")
                    % {"name": upload.name, "mb": settings.ATTACHMENT_MAX_BYTES // 2**20}
                )
            if not is_what_it_claims(upload):
                raise forms.ValidationError(
                    _("%(name)s is not a photo or a PDF.") % {"name": upload.name}
                )
        return cleaned


class IntakeForm(forms.Form):
    caller_phone = PhoneField(label=_("Caller phone"), max_length=30, required=False)
    caller_name = LineField(label=_("Caller name"), max_length=50, required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.all(),
        required=False,
        widget=CommunitySearchInput,
        error_messages={"invalid_choice": _("Choose the community from the list.")},
    )
    address = LineField(label=_("Address (building, unit, room)"), max_length=200, required=False)
    # Only what a caller may report: an alarm's or a welfare visit's category is made by
    # the network watch, never typed in; a forged one is refused like a missing one.
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=public_categories(),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose the category from the list."),
        },
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Category default"))] + list(Priority.choices),
        coerce=int,
        required=False,
        empty_value=None,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        initial=Channel.HOTLINE,
        choices=[
            (Channel.HOTLINE, Channel.HOTLINE.label),
            (Channel.WALK_IN, Channel.WALK_IN.label),
        ],
    )
    description = ProseField(
        label=_("What the caller says"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Write down what the caller says.")},
    )
    # Django's form metaclass moves declared fields off the class, so `files` stays free.
    files = MultipleFileField(label=_("Photos or files"), required=False)  # type: ignore[assignment]
    attach_to = forms.ModelChoiceField(
        queryset=WorkOrder.objects.filter(state__in=OPEN_STATES).select_related(
            "category", "community"
        ),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That order is no longer open; save a new one.")},
    )

    def clean(self):
        data = super().clean()
        target = data.get("attach_to")
        if target is not None and self._contradicts(target, data):
            # The page offered this order for the community and category it showed then;
            # a call now said to be about something else is not silently added to it.
            self.add_error(
                "attach_to",
                _(
                    "The call was not attached to order %(number)s: that order is about "
                    "“%(category)s” in %(community)s, and this call no longer is. Save again "
                    "to make a new order, or choose an order among the open orders like "
                    "this one."
                )
                % {
                    "number": target.number,
                    "category": target.category.name,
                    "community": target.community.name if target.community else "—",
                },
            )
        if not data.get("community") and not data.get("address") and not data.get("attach_to"):
            self.add_error("community", _("Choose the community, or type an address."))
        return data

    @staticmethod
    def _contradicts(target: WorkOrder, data: dict) -> bool:
        """Whether the community or category chosen (where valid) is not the order's."""
        return ("category" in data and data["category"] != target.category) or (
            "community" in data and data["community"] != target.community
        )

    @property
    def attach_target(self) -> WorkOrder | None:
        """The order the next save attaches this call to: what the page must announce.

        None after an error on the target (closed meanwhile, or no longer about this
        call): the page then drops it and says so, and the next save makes a new order.
        """
        if not self.is_bound or "attach_to" in self.errors:
            return None
        return self.cleaned_data.get("attach_to")


class NoteForm(forms.Form):
    note = ProseField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    note = ProseField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason.")},
    )


class ResolveForm(forms.Form):
    note = ProseField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe what was done.")},
    )
    # Django's form metaclass moves declared fields off the class, so `files` stays free.
    files = MultipleFileField(label=_("Photos"), required=False)  # type: ignore[assignment]


class AssignForm(forms.Form):
    specialist = forms.ModelChoiceField(
        label=_("Specialist"),
        queryset=Specialist.objects.all(),
        error_messages={"required": _("Choose a specialist.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.all(), required=False
    )
    note = ProseField(label=_("Note"), max_length=2000, required=False)


class DeadlineForm(forms.Form):
    until = forms.DateTimeField(
        label=_("New deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Choose a date and time."),
            "invalid": _("Enter a date and time such as 2026-11-21 18:00."),
        },
    )
    note = ProseField(
        label=_("Reason"), max_length=2000, error_messages={"required": _("Give a reason.")}
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "yes", choices=[("yes", _("Approve")), ("no", _("Deny"))]
    )
    note = ProseField(label=_("Note"), max_length=2000, required=False)


class CancelForm(forms.Form):
    note = ProseField(label=_("Reason"), max_length=2000, required=False)
    duplicate_of = IdentifierField(
        label=_("Duplicate of order number"), max_length=20, required=False
    )

    def clean_duplicate_of(self):
        number = self.cleaned_data.get("duplicate_of", "")
        if not number:
            return None
        try:
            return WorkOrder.objects.get(number=number)
        except WorkOrder.DoesNotExist as exc:
            raise forms.ValidationError(
                _("There is no order %(number)s.") % {"number": number}
            ) from exc

    def clean(self):
        data = super().clean()
        if not data.get("note") and not data.get("duplicate_of") and not self.errors:
            raise forms.ValidationError(_("Give a reason, or the number of the original order."))
        return data


class CallbackForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Resident's judgement"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the resident judged the service.")},
    )
    note = ProseField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("result") == Satisfaction.UNSATISFIED and not data.get("note", "").strip():
            self.add_error(
                "note", _("Write down why the resident is unsatisfied; the order is re-done.")
            )
        return data
