"""The community search box: a form widget any page can use to pick one of hundreds of
communities by Chinese name, full pinyin or pinyin initials.

It renders includes/community_search.html (a text box, the hidden community id, the list
of matches) and asks the hotline intake's search (desk:intake_communities, over
mains.areas.queries.search_communities) for matches; static/mains/community_search.js
picks one. The form's value is the community's id, as with a select.
"""

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community


class CommunitySearchInput(forms.Widget):
    search_url_name = "desk:intake_communities"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.typed = ""

    def id_for_label(self, id_: str) -> str:
        # The label names the box one types into, not the hidden id.
        return f"{id_}_search" if id_ else id_

    def value_from_datadict(self, data, files, name):
        # What was typed is kept so that a page shown again after an error still shows it.
        self.typed = data.get(f"{name}_label", "")
        return data.get(name)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        community = None
        if value not in (None, "") and str(value).isdecimal():
            community = Community.objects.filter(pk=int(value)).only("name").first()
        base_id = attrs.get("id") or f"id_{name}"
        css = attrs.get("class", "form-control").replace("form-select", "form-control")
        return mark_safe(  # noqa: S308 -- a template rendered with autoescape
            render_to_string(
                "includes/community_search.html",
                {
                    "name": name,
                    "id": base_id,
                    "value": community.pk if community else "",
                    "text": community.name if community else self.typed,
                    "css": css,
                    "search_url_name": self.search_url_name,
                    "placeholder": _("Chinese name, pinyin or initials"),
                },
            )
        )
