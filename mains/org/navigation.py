"""The menu each role sees."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mains.org.roles import Role

ITEMS = {
    "intake": ("desk:intake", _("Hotline intake")),
    "board": ("desk:board", _("Dispatch board")),
    "unit_board": ("desk:board", _("Unit board")),
    "orders": ("desk:orders", _("Orders")),
    "callbacks": ("desk:callbacks", _("Callbacks")),
    "kpis": ("desk:kpis", _("KPIs")),
    "mine": ("desk:my_orders", _("My orders")),
    "my_communities": ("areas:my_communities", _("My communities")),
    "communities": ("areas:communities", _("Communities")),
    "admin_home": ("admin_home", _("Administration")),
    "access_log": ("org:access_log", _("Access log")),
    "my_observations": ("supervision:mine", _("My observations")),
    "visits": ("care:visits", _("Visits")),
    "kb": ("kb:articles", _("Knowledge base")),
    "care": ("care:residents", _("Special groups")),
    "observations": ("supervision:inbox", _("Supervision")),
    "outages": ("outages:list", _("Outages")),
    "boards": ("boards:coverage", _("Notice boards")),
    "install_board": ("boards:install", _("Install a board")),
    "messages": ("notify:messages", _("Messages")),
    "alarms": ("telemetry:alarms", _("Alarms")),
    "upload_readings": ("telemetry:upload", _("Upload readings")),
}

MENUS = {
    Role.AGENT: ["intake", "orders", "callbacks", "outages", "communities", "kb"],
    Role.DISPATCHER: [
        "board",
        "intake",
        "orders",
        "callbacks",
        "outages",
        "kpis",
        "communities",
        "care",
        "boards",
        "alarms",
    ],
    Role.SPECIALIST: ["mine", "my_communities", "visits", "install_board"],
    Role.UNIT_MANAGER: ["unit_board", "orders", "kpis"],
    Role.SUPERVISOR: ["my_observations", "kpis", "orders"],
    Role.INSPECTOR: ["orders", "communities"],
    Role.ENGINEER: ["alarms", "upload_readings", "orders", "communities"],
    Role.MANAGER: ["kpis", "board", "orders", "outages", "communities", "observations", "boards"],
    Role.ADMIN: [
        "admin_home",
        "board",
        "orders",
        "kpis",
        "outages",
        "boards",
        "messages",
        "access_log",
    ],
}


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for key in MENUS.get(user.role, []):
        url_name, label = ITEMS[key]
        url = reverse(url_name)
        items.append({"url": url, "label": label, "active": current_path.startswith(url)})
    return items
