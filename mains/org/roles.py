"""The roles of mains and what each may do. One place to read who can do what."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Hotline agent")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SPECIALIST = "specialist", _("Grid specialist")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    SUPERVISOR = "supervisor", _("Social supervisor")
    INSPECTOR = "inspector", _("Inspector")
    ENGINEER = "engineer", _("Network engineer")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


# Roles that take calls and create orders.
INTAKE_ROLES = {Role.AGENT, Role.DISPATCHER, Role.ADMIN}
# Roles that may search communities by name, pinyin or initials (the intake's search, also
# the supervisors' observation form; what it lists is on the residents' pages too).
COMMUNITY_SEARCH_ROLES = INTAKE_ROLES | {Role.SUPERVISOR}
# Roles that see every order of the utility (others are scoped).
ALL_ORDERS_ROLES = {
    Role.AGENT,
    Role.DISPATCHER,
    Role.MANAGER,
    Role.ADMIN,
    Role.ENGINEER,
    Role.INSPECTOR,
    Role.SUPERVISOR,
}
# Roles that route orders: dispatch, transfer, cancel, approve extensions.
DISPATCH_ROLES = {Role.DISPATCHER, Role.ADMIN}
# Roles that may remind and supervise (催办 / 督办).
SUPERVISE_ROLES = {Role.DISPATCHER, Role.MANAGER, Role.UNIT_MANAGER, Role.ADMIN}
# Roles that may remind (催办): the supervising ones, and those who take the calls, since a
# caller who rings again about an open order is a reminder.
REMIND_ROLES = SUPERVISE_ROLES | INTAKE_ROLES
# Roles that record callbacks and archive orders.
CALLBACK_ROLES = {Role.AGENT, Role.DISPATCHER, Role.ADMIN}
# Roles that send meter readings: upload files, the API's batches.
READINGS_ROLES = {Role.ENGINEER, Role.ADMIN}
# Roles that see KPIs.
KPI_ROLES = {Role.MANAGER, Role.DISPATCHER, Role.UNIT_MANAGER, Role.ADMIN, Role.SUPERVISOR}
# Roles that may reveal masked personal data (with a reason, logged).
REVEAL_ROLES = {
    Role.AGENT,
    Role.DISPATCHER,
    Role.UNIT_MANAGER,
    Role.MANAGER,
    Role.ADMIN,
    Role.SPECIALIST,
}

# Roles that work the order board (the dispatcher's board; a unit manager's is their unit's).
ORDER_BOARD_ROLES = {Role.DISPATCHER, Role.UNIT_MANAGER, Role.MANAGER, Role.ADMIN}
# Roles that print and follow the communities' notice boards.
NOTICE_BOARD_ROLES = {Role.MANAGER, Role.ADMIN, Role.DISPATCHER}
# Roles that see the outage pages (agents read them to answer callers).
OUTAGE_VIEW_ROLES = {Role.AGENT, Role.DISPATCHER, Role.MANAGER, Role.ADMIN}
# Roles that announce, change, end and cancel outages.
OUTAGE_MANAGE_ROLES = {Role.DISPATCHER, Role.MANAGER, Role.ADMIN}
# Roles that attach a caller to an outage from the intake screen.
OUTAGE_ATTACH_ROLES = set(INTAKE_ROLES)
# Roles that register special-group residents (the specialist visits the ones of their grid).
CARE_REGISTER_ROLES = {Role.DISPATCHER, Role.ADMIN, Role.MANAGER, Role.AGENT}
# Roles that answer social supervisors' observations.
OBSERVATION_ANSWER_ROLES = {Role.MANAGER, Role.ADMIN, Role.DISPATCHER}
# Roles that use the network watch (meters, alarms).
WATCH_ROLES = {Role.ENGINEER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN}
# A household meter belongs to a registered special-group resident: that it exists, its
# code and its litres a day say who is vulnerable and where. Of the watch roles only those
# who route the welfare visits it raises see it and its alarms (the dispatch roles).
HOUSEHOLD_ALARM_ROLES = DISPATCH_ROLES

HOME_URL_NAMES: dict[str, str] = {
    Role.AGENT: "desk:intake",
    Role.DISPATCHER: "desk:board",
    Role.SPECIALIST: "desk:my_orders",
    Role.UNIT_MANAGER: "desk:board",
    Role.SUPERVISOR: "supervision:mine",
    Role.INSPECTOR: "desk:orders",
    Role.ENGINEER: "telemetry:alarms",
    Role.MANAGER: "desk:kpis",
    Role.ADMIN: "admin_home",
}
