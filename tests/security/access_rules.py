"""Who may open each named route: the one table the access matrix checks.

Every named route of the URL conf has a rule here; a new page without one fails
tests/security/test_access_matrix.py. A rule says who gets in, and the others get:

- anonymous on a page: a redirect to the log-in page (the admin's own for `admin:*`);
- a role outside the rule: 403;
- a role the rule lets in but that is scoped out of the object (another grid's order,
  another specialist's resident): the same 404 as for an id that does not exist, and on a
  list (`hides`) not a trace of it;
- the API at /api/v1/: without a token (a browser session is not one) 401 JSON, with a
  token of a role outside the rule 403 JSON.

Those let in get the page (a POST-only route answers their GET with 405; an empty POST
may be refused by the form, never with a 5xx).

Role sets come from mains/org/roles.py where one exists there; the others are spelled
out so that this table, not the view, states the policy.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mains.desk.states import State, can
from mains.org.roles import (
    CALLBACK_ROLES,
    COMMUNITY_SEARCH_ROLES,
    DISPATCH_ROLES,
    INTAKE_ROLES,
    KPI_ROLES,
    READINGS_ROLES,
    REMIND_ROLES,
    REVEAL_ROLES,
    SUPERVISE_ROLES,
    Role,
)
from tests.security.access_world import MISSING, World

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Rule:
    kind: str  # "public", "login" (a role set), "token" (API), "admin_site"
    roles: frozenset[str] = ALL_ROLES  # who passes the role gate (not for "public")
    post_only: bool = False  # GET answers 405 to those let in
    takes_forms: bool = False  # a page that also takes a POST: checked with both methods
    args: Callable[[World], dict] = lambda w: {}  # the URL's arguments, of a real object
    missing: dict | None = None  # the same arguments naming nothing: 404 for those let in
    scoped_out: tuple[str, ...] = ()  # cast members let in by role but not to this object
    hides: Callable[[World], str] | None = None  # a list: what the scoped out must not see
    form: Callable[[World], dict] | None = None  # what a page's POST sends (else nothing)
    missing_form: dict | None = None  # the same form naming nothing
    missing_answers: int = 404  # what those let in get for a missing object
    body: Callable[[World], dict] | None = None  # the JSON an API write sends
    answers: int | None = None  # the status those let in get, when not a success
    post_answers: int | None = None  # the same for a POST
    costly: bool = False  # a slow page: rendered for one of those let in, refused to all others
    why: str = ""


def public(**options) -> Rule:
    return Rule("public", **options)


def logged_in(roles=ALL_ROLES, **options) -> Rule:
    return Rule("login", frozenset(roles), **options)


def token(roles=ALL_ROLES, **options) -> Rule:
    return Rule("token", frozenset(roles), **options)


def west_order(w: World) -> dict:
    return {"pk": w.west_order.pk}


def west_number(w: World) -> str:
    return w.west_order.number


def community(w: World) -> dict:
    return {"pk": w.city.xingguang.pk}


NO_PK = {"pk": MISSING}
# The roles of the apps' own sets (named in the comment), spelled out here.
DESK_BOARD = {Role.DISPATCHER, Role.UNIT_MANAGER, Role.MANAGER, Role.ADMIN}  # desk.views.board
PRINT_BOARDS = {Role.MANAGER, Role.ADMIN, Role.DISPATCHER}  # org.roles.NOTICE_BOARD_ROLES
SEE_OUTAGES = {Role.AGENT, Role.DISPATCHER, Role.MANAGER, Role.ADMIN}  # outages.access
RUN_OUTAGES = {Role.DISPATCHER, Role.MANAGER, Role.ADMIN}  # org.roles.OUTAGE_MANAGE_ROLES
REGISTER_RESIDENTS = {Role.DISPATCHER, Role.ADMIN, Role.MANAGER, Role.AGENT}  # care.views
ANSWER_SUPERVISORS = {Role.MANAGER, Role.ADMIN, Role.DISPATCHER}  # supervision.views
# telemetry.views.queries
WATCH_NETWORK = {Role.ENGINEER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN}
# Who may accept an order: its specialist (tom for the west order), the manager of its
# unit and the dispatch roles (desk.access.may); the others who see it get 403.
ACCEPT_ORDER = {Role.SPECIALIST, Role.UNIT_MANAGER, *DISPATCH_ROLES}

# Who may take each action on an order (desk.access.may): the field work its specialist,
# the manager of its unit and the dispatch roles; routing the dispatch roles (a transfer
# also the unit's manager); callbacks the callback roles; reminders and supervision the
# supervising roles (reminders also the intake roles). The west order is dispatched to
# tom: an action its state does not allow answers 409 to those who may take it.
ORDER_ACTION_ROLES = {
    **dict.fromkeys(
        ("accept", "return", "arrive", "suspend", "resume", "request_extension", "resolve"),
        ACCEPT_ORDER,
    ),
    **dict.fromkeys(("dispatch", "cancel", "approve_extension"), DISPATCH_ROLES),
    "transfer": {*DISPATCH_ROLES, Role.UNIT_MANAGER},
    **dict.fromkeys(("callback", "close"), CALLBACK_ROLES),
    "supervise": SUPERVISE_ROLES,
    # A caller's repeat call about an open order is a reminder: the intake roles pass it on.
    "remind": REMIND_ROLES,
}


def _action_body(action: str, w: World) -> dict:
    later = (timezone.now() + timedelta(days=3)).isoformat()
    fields = {
        "return": {"note": "不归我网格"},
        "suspend": {"note": "住户不在家"},
        "remind": {"note": "请尽快处理"},
        "resolve": {"note": "已更换水表"},
        "cancel": {"note": "重复来电"},
        "dispatch": {"specialist": w.city.tom.specialist.pk},
        "transfer": {"specialist": w.city.tom.specialist.pk},
        "request_extension": {"until": later, "note": "等配件"},
        "supervise": {"until": later, "note": "督办"},
        "approve_extension": {"approve": True},
        "callback": {"result": "satisfied"},
    }.get(action, {})
    return {"version": w.west_order.version, **fields}


def order_action_rules() -> dict[str, Rule]:
    rules = {}
    for action, roles in ORDER_ACTION_ROLES.items():
        check = "deny_extension" if action == "approve_extension" else action
        rules[action] = token(
            roles,
            args=lambda w: {"order_id": w.west_order.pk},
            missing={"order_id": MISSING},
            scoped_out=("sam", "unit_manager"),
            body=lambda w, action=action: _action_body(action, w),
            answers=None if can(check, State.DISPATCHED) else 409,
        )
    return rules


RULES: dict[str, Rule] = {
    "home": logged_in(why="sends each role to its own start page"),
    "healthz": public(why="load balancers and monitors"),
    "login": public(takes_forms=True),
    "logout": public(post_only=True),
    "set_language": public(),
    # Organisation
    "admin_home": logged_in({Role.ADMIN}),
    "org:access_log": logged_in({Role.ADMIN}),
    "org:access_log_export": logged_in({Role.ADMIN}),
    "desk:reveal": logged_in(
        REVEAL_ROLES,
        post_only=True,
        form=lambda w: {"subject": f"order:{w.west_order.pk}", "reason": "回拨核实"},
        missing_form={"subject": f"order:{MISSING}", "reason": "回拨核实"},
        missing_answers=403,
        scoped_out=("sam", "unit_manager"),
        why="an order the user cannot see, missing or not, is refused alike",
    ),
    # Communities and grids
    "areas:communities": logged_in(why="the directory of communities and their specialists"),
    "areas:my_communities": logged_in({Role.SPECIALIST}),
    "areas:import": logged_in({Role.ADMIN}, takes_forms=True),
    "areas:export": logged_in({Role.ADMIN}),
    # Service desk
    "desk:intake": logged_in(INTAKE_ROLES, takes_forms=True),
    "desk:intake_caller": logged_in(INTAKE_ROLES),
    "desk:intake_address": logged_in(
        INTAKE_ROLES,
        args=west_order,
        missing=NO_PK,
        answers=404,
        why="an earlier order's address fills the intake only for its caller's number, typed",
    ),
    "desk:intake_communities": logged_in(COMMUNITY_SEARCH_ROLES),
    "desk:intake_hints": logged_in(INTAKE_ROLES),
    "desk:board": logged_in(DESK_BOARD, scoped_out=("unit_manager",), hides=west_number),
    "desk:board_poll": logged_in(DESK_BOARD, scoped_out=("unit_manager",), hides=west_number),
    "desk:orders": logged_in(
        scoped_out=("sam", "unit_manager"),
        hides=west_number,
        why="each role's list is scoped by desk.access.orders_for",
    ),
    "desk:order": logged_in(args=west_order, missing=NO_PK, scoped_out=("sam", "unit_manager")),
    "desk:attachment": logged_in(
        args=lambda w: {"pk": w.west_order.pk, "attachment_pk": w.west_photo.pk},
        missing={"pk": MISSING, "attachment_pk": MISSING},
        scoped_out=("sam", "unit_manager"),
        why="a photo or file goes to whoever may see its order (desk.access.attachment_for)",
    ),
    "desk:order_act": logged_in(
        post_only=True,
        args=lambda w: {"pk": w.west_order.pk, "action": "accept"},
        missing={"pk": MISSING, "action": "accept"},
        scoped_out=("sam", "unit_manager"),
        why="which role may take which action is desk.access.may (tests/org/test_permissions)",
    ),
    "desk:my_orders": logged_in({Role.SPECIALIST}, scoped_out=("sam",), hides=west_number),
    "desk:my_order_act": logged_in(
        {Role.SPECIALIST},
        post_only=True,
        args=lambda w: {"pk": w.west_order.pk, "action": "accept"},
        missing={"pk": MISSING, "action": "accept"},
        scoped_out=("sam",),
        why="a card's accept, arrive or resolve: the specialist's own orders (desk.access)",
    ),
    "desk:callbacks": logged_in(CALLBACK_ROLES),
    "desk:callback_record": logged_in(
        CALLBACK_ROLES,
        post_only=True,
        args=west_order,
        missing=NO_PK,
        why="a queue row's callback (the west order is not resolved: the form says so, 400)",
    ),
    "desk:kpis": logged_in(KPI_ROLES, costly=True),
    "desk:kpis_export": logged_in(KPI_ROLES, costly=True),
    "desk:kpi_targets": logged_in({Role.ADMIN}, takes_forms=True),
    # Notice boards
    "boards:coverage": logged_in(PRINT_BOARDS),
    "boards:missing_export": logged_in(PRINT_BOARDS),
    "boards:community_pdf": logged_in(PRINT_BOARDS, costly=True, args=community, missing=NO_PK),
    "boards:community_printed": logged_in(
        PRINT_BOARDS, post_only=True, args=community, why="nothing to print: a message, not 404"
    ),
    "boards:batches": logged_in(PRINT_BOARDS),
    "boards:batch_create": logged_in(PRINT_BOARDS, post_only=True),
    "boards:batch_download": logged_in(
        PRINT_BOARDS, args=lambda w: {"pk": w.batch.pk}, missing=NO_PK
    ),
    "boards:batch_printed": logged_in(
        PRINT_BOARDS, post_only=True, args=lambda w: {"pk": w.batch.pk}, missing=NO_PK
    ),
    "boards:install": logged_in({Role.SPECIALIST}, takes_forms=True),
    # Outages
    "outages:list": logged_in(SEE_OUTAGES),
    "outages:new": logged_in(RUN_OUTAGES, takes_forms=True),
    "outages:communities": logged_in(RUN_OUTAGES),
    "outages:detail": logged_in(SEE_OUTAGES, args=lambda w: {"pk": w.outage.pk}, missing=NO_PK),
    "outages:edit": logged_in(RUN_OUTAGES, args=lambda w: {"pk": w.outage.pk}, missing=NO_PK),
    "outages:end": logged_in(
        RUN_OUTAGES, post_only=True, args=lambda w: {"pk": w.outage.pk}, missing=NO_PK
    ),
    "outages:cancel": logged_in(
        RUN_OUTAGES, post_only=True, args=lambda w: {"pk": w.outage.pk}, missing=NO_PK
    ),
    "outages:intake_panel": logged_in(INTAKE_ROLES),
    "outages:attach": logged_in(INTAKE_ROLES, args=lambda w: {"pk": w.outage.pk}, missing=NO_PK),
    # Notifications
    "notify:messages": logged_in({Role.ADMIN}),
    "notify:retry": logged_in(
        {Role.ADMIN},
        post_only=True,
        args=lambda w: {"pk": w.message.pk},
        why="a message that cannot be retried (or is gone) gets a message, not 404",
    ),
    # Knowledge base
    "kb:articles": logged_in(),
    "kb:article": logged_in(args=lambda w: {"pk": w.article.pk}, missing=NO_PK),
    "kb:intake_search": logged_in(INTAKE_ROLES),
    "kb:answer_directly": logged_in(
        INTAKE_ROLES, post_only=True, args=lambda w: {"pk": w.article.pk}, missing=NO_PK
    ),
    # Special-group residents
    "care:visits": logged_in(
        {Role.SPECIALIST},
        scoped_out=("sam",),
        hides=lambda w: reverse("care:record_visit", args=[w.west_resident.pk]),
    ),
    "care:residents": logged_in(REGISTER_RESIDENTS, takes_forms=True),
    "care:record_visit": logged_in(
        {Role.SPECIALIST},
        post_only=True,
        args=lambda w: {"pk": w.west_resident.pk},
        missing=NO_PK,
        scoped_out=("sam",),
    ),
    # Social supervision
    "supervision:mine": logged_in({Role.SUPERVISOR}, takes_forms=True),
    "supervision:inbox": logged_in(ANSWER_SUPERVISORS),
    "supervision:answer": logged_in(
        ANSWER_SUPERVISORS,
        post_only=True,
        args=lambda w: {"pk": w.observation.pk},
        missing=NO_PK,
    ),
    # Network watch
    "telemetry:alarms": logged_in(WATCH_NETWORK),
    "telemetry:alarm": logged_in(
        WATCH_NETWORK, costly=True, args=lambda w: {"pk": w.alarm.pk}, missing=NO_PK
    ),
    "telemetry:acknowledge": logged_in(
        WATCH_NETWORK, post_only=True, args=lambda w: {"pk": w.alarm.pk}, missing=NO_PK
    ),
    "telemetry:quarantine": logged_in(WATCH_NETWORK),
    "telemetry:upload": logged_in(READINGS_ROLES, takes_forms=True),
    "telemetry:meters": logged_in(WATCH_NETWORK),
    "telemetry:meter": logged_in(
        WATCH_NETWORK,
        costly=True,
        args=lambda w: {"code": w.meter.code},
        missing={"code": "NO-SUCH-METER"},
    ),
    # Residents' pages (the QR code on the board)
    "public_media": public(
        args=lambda w: {"path": w.specialist_photo},
        missing={"path": "attachments/2026/12/any.png"},
        why="only the prefixes of mains.lib.media.PUBLIC_MEDIA_PREFIXES, the rest 404",
    ),
    "public:community": public(takes_forms=True, args=community, missing=NO_PK),
    "public:reported": public(args=community, missing=NO_PK, why="back to the form without one"),
    "public:track": public(takes_forms=True),
    # The REST API: a token, whatever the session
    "api:docs_asset": public(args=lambda w: {"name": "swagger-ui.css"}),
    "api:v1:openapi-json": public(costly=True, why="the API's contract is public documentation"),
    "api:v1:openapi-view": public(),
    "api:v1:api-root": public(answers=404, post_answers=404),
    "api:v1_not_found": public(
        args=lambda w: {"rest": "nothing-here"}, answers=404, post_answers=404
    ),
    "api:v1:list_orders": token(
        scoped_out=("sam", "unit_manager"),
        hides=west_number,
        why="scoped by desk.access.orders_for",
    ),
    "api:v1:create_order": token(
        INTAKE_ROLES,
        body=lambda w: {
            "category": w.city.leak.code,
            "community": w.city.xingguang.pk,
            "description": "楼道水表漏水",
            "caller_phone": "13812340000",
        },
    ),
    "api:v1:read_order": token(
        args=lambda w: {"order_id": w.west_order.pk},
        missing={"order_id": MISSING},
        scoped_out=("sam", "unit_manager"),
    ),
    **{f"api:v1:act_{action}": rule for action, rule in order_action_rules().items()},
    "api:v1:list_communities": token(),
    "api:v1:read_community": token(
        args=lambda w: {"community_id": w.city.xingguang.pk}, missing={"community_id": MISSING}
    ),
    "api:v1:list_grids": token(),
    "api:v1:list_categories": token(),
    "api:v1:list_outages": token(),
    "api:v1:read_outage": token(
        args=lambda w: {"outage_id": w.outage.pk}, missing={"outage_id": MISSING}
    ),
    "api:v1:send_batch": token(
        READINGS_ROLES,
        body=lambda w: {
            "batch_id": "matrix-1",
            "readings": [
                {"meter_id": w.meter.code, "ts": "2026-01-05T08:00:00+08:00", "flow_m3h": 1.0}
            ],
        },
    ),
    # Open311 GeoReport v2: public reads; a write needs an api_key (tests/api)
    "api:open311_root": public(),
    "api:discovery": public(args=lambda w: {"fmt": "json"}),
    "api:services": public(args=lambda w: {"fmt": "xml"}),
    "api:service_definition": public(
        args=lambda w: {"code": w.city.leak.code, "fmt": "json"},
        missing={"code": "NO-SUCH", "fmt": "json"},
    ),
    "api:requests": public(
        args=lambda w: {"fmt": "json"}, post_answers=403, why="a new request needs an api_key"
    ),
    "api:request": public(
        args=lambda w: {"number": w.west_order.number, "fmt": "json"},
        missing={"number": "000", "fmt": "json"},
    ),
    "api:token": public(
        args=lambda w: {"token": "abc", "fmt": "json"}, answers=404, post_answers=404
    ),
    "api:open311_not_found": public(
        args=lambda w: {"rest": "nothing"}, answers=404, post_answers=404
    ),
}

# The Django admin's hundreds of generated routes: one rule for the namespace, checked on
# a sample. Only administrators; everyone else is sent to the admin's log-in page (its
# log-out, for those not logged in to it, to its index).
ADMIN_RULE = Rule("admin_site", frozenset({Role.ADMIN}))
ADMIN_EXCEPTIONS: dict[str, Rule] = {"admin:login": public(takes_forms=True)}


def admin_page(args: Callable[[World], dict] = lambda w: {}, **options) -> Rule:
    return Rule("admin_site", ADMIN_RULE.roles, args=args, takes_forms=True, **options)


ADMIN_SAMPLE: dict[str, Rule] = {
    "admin:index": admin_page(),
    "admin:app_list": admin_page(lambda w: {"app_label": "desk"}),
    "admin:password_change": admin_page(),
    "admin:org_user_changelist": admin_page(),
    "admin:org_accesslog_changelist": admin_page(),
    "admin:desk_workorder_changelist": admin_page(),
    "admin:desk_kpitarget_changelist": admin_page(),
    "admin:desk_workorder_change": admin_page(
        lambda w: {"object_id": w.west_order.pk},
        post_answers=403,
        why="orders change through their actions only: the admin shows them read-only",
    ),
    "admin:care_resident_change": admin_page(lambda w: {"object_id": w.west_resident.pk}),
}


def rule_for(name: str) -> Rule | None:
    if name in RULES:
        return RULES[name]
    if name.startswith("admin:"):
        return ADMIN_SAMPLE.get(name) or ADMIN_EXCEPTIONS.get(name) or ADMIN_RULE
    return None


# A route without a name escapes the table; only these may, and each says why.
UNNAMED_ROUTES: dict[str, str] = {}
