from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Grid
from mains.boards.models import Board, BoardBatch


class BoardChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Board) -> str:
        return obj.community.name


class InstallForm(forms.Form):
    board = BoardChoice(
        label=_("Community"),
        queryset=Board.objects.none(),
        widget=forms.RadioSelect(attrs={"class": "form-check-input fs-4 m-0"}),
        empty_label=None,
        error_messages={"required": _("Pick the community where you put the board up.")},
    )
    photo = forms.ImageField(
        label=_("Photo of the board on the wall"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"required": _("Take a photo of the board on the wall.")},
    )
    installed_on = forms.DateField(
        label=_("Installed on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        self.fields["installed_on"].initial = timezone.localdate()

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is larger than %(size)s; choose a smaller one.")
                % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            )
        return photo

    def clean_installed_on(self):
        day = self.cleaned_data["installed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The installation date cannot be in the future."))
        return day


class BatchForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Boards of"),
        choices=BoardBatch.Scope.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Grid.objects.order_by("code"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == BoardBatch.Scope.GRID and not data.get("grid"):
            self.add_error("grid", _("Pick the grid whose boards to print."))
        return data
