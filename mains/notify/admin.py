from django import forms
from django.contrib import admin
from django.template import Template as DjangoTemplate
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from mains.lib.admin import ReadOnlyAdminMixin
from mains.notify.events import CONTEXT
from mains.notify.models import Message, Template, mask_mobiles
from mains.org.admin_pii import PersonalDataAdmin


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["event", "channel", "subject", "body", "active"]

    def _compiled(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        try:
            DjangoTemplate(text)
        except TemplateSyntaxError as exc:
            raise forms.ValidationError(
                _("This is not a valid template: %(error)s"), params={"error": exc}
            ) from exc
        return text

    def clean_subject(self) -> str:
        return self._compiled("subject")

    def clean_body(self) -> str:
        return self._compiled("body")


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ["event", "channel", "subject", "active"]
    list_filter = ["event", "channel", "active"]
    readonly_fields = ["variables"]

    @admin.display(description=_("variables"))
    def variables(self, obj: Template) -> str:
        names = CONTEXT.get(obj.event, []) + ["hotline", "site_name", "recipient_name"]
        return " ".join("{{ " + name + " }}" for name in names)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, PersonalDataAdmin):
    # The text and a gateway's error may quote a number: mobile numbers in them are masked.
    personal_fields = {"recipient": "recipient", "body": "text", "error": "text"}
    personal_note = _("The log of what was sent: a resident's number is masked, read-only.")
    list_display = ["created_at", "event", "channel", "masked_recipient", "status", "attempts"]
    list_filter = ["status", "event", "channel", "backend"]
    # A number is found only whole, as on the desk's order search: never by a part of it.
    search_fields = ["=recipient", "related"]
    date_hierarchy = "created_at"

    def personal_subject(self, obj: Message) -> str:
        return f"message:{obj.pk}"

    def masked(self, obj: Message, field: str, kind: str, value: str) -> str:
        return obj.masked_recipient if field == "recipient" else mask_mobiles(value)

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Message) -> str:
        return obj.masked_recipient
