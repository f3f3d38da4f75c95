"""The objects the access matrix opens: one of each kind a route's converters name."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from mains.api.tokens import create_token
from mains.boards.actions import do_generate_boards
from mains.boards.models import BatchState, BoardBatch
from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.desk.actions import do_create_order
from mains.desk.models import Attachment, WorkOrder
from mains.kb.models import Article
from mains.notify.models import Message
from mains.org.models import User
from mains.org.roles import Role
from mains.outages.actions import do_announce_outage
from mains.outages.models import Outage
from mains.supervision.actions import do_file_observation
from mains.supervision.models import Observation
from mains.telemetry.alarms.actions import do_raise_alarm
from mains.telemetry.models import Alarm, Meter
from tests.conftest import City, build_city

# The users of the cast, by the name the rules use (two specialists of two grids).
CAST = (
    "agent",
    "dispatcher",
    "sam",
    "tom",
    "unit_manager",
    "supervisor",
    "inspector",
    "engineer",
    "manager",
    "admin",
)
MISSING = 987654  # an id no object of the world has


@dataclass
class World:
    city: City
    east_order: WorkOrder  # 星光水晶城, grid E01 (sam), east unit (una)
    west_order: WorkOrder  # 锦绣家园, grid W01 (tom), west unit
    west_photo: Attachment  # a resident's photo on the west order
    specialist_photo: str  # the stored name of sam's photo: public media on purpose
    batch: BoardBatch
    outage: Outage
    message: Message
    article: Article
    west_resident: Resident  # looked after by tom
    observation: Observation
    meter: Meter
    alarm: Alarm
    tokens: dict[str, str]  # cast name → API key
    extra: dict[str, User] = field(default_factory=dict)  # former_admin: now an agent
    sessions: dict[str, str] = field(default_factory=dict)  # name → a logged-in session key

    def user(self, name: str) -> User:
        return self.extra[name] if name in self.extra else getattr(self.city, name)


def _order(city: City, community, phone: str) -> WorkOrder:
    return do_create_order(
        by=city.agent,
        channel="hotline",
        category=city.leak,
        description="楼道水表漏水",
        community=community,
        caller_name="张三",
        caller_phone=phone,
        address=f"{community.name}3号楼2单元501",
    )


def build_world() -> World:
    city = build_city()
    now = timezone.now()
    do_generate_boards([city.xingguang, city.jinxiu], by=city.dispatcher)
    batch = BoardBatch.objects.create(
        scope=BoardBatch.Scope.ALL, state=BatchState.DONE, requested_by=city.dispatcher
    )
    batch.file.save("boards.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    meter = Meter.objects.create(code="XG-M1", community=city.xingguang)
    alarm = do_raise_alarm(meter, Alarm.Kind.BURST, now - timedelta(hours=1), {})
    assert alarm is not None
    west_order = _order(city, city.jinxiu, "13900009999")
    west_photo = Attachment.objects.create(
        order=west_order,
        file=ContentFile(b"\x89PNG\r\n\x1a\n photo", name="漏水.png"),
        name="漏水.png",
        content_type="image/png",
    )
    specialist = city.sam.specialist
    specialist.photo.save("sam.png", ContentFile(b"\x89PNG\r\n\x1a\n sam"))
    return World(
        city=city,
        east_order=_order(city, city.xingguang, "13812341234"),
        west_order=west_order,
        west_photo=west_photo,
        specialist_photo=specialist.photo.name,
        batch=batch,
        outage=do_announce_outage(
            by=city.dispatcher,
            kind="emergency",
            utility="water",
            communities=[city.xingguang],
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=5),
            reason="东昌路主管道爆管抢修",
        ),
        message=Message.objects.create(
            event="order_assigned",
            channel="sms",
            recipient="13900000001",
            body="新工单",
            status=Message.Status.FAILED,
        ),
        article=Article.objects.create(title="水的硬度", topic="water_quality", body="硬度说明"),
        west_resident=do_register_resident(
            city.dispatcher,
            consent_note="本人签字同意",
            name="王奶奶",
            phone="13600001111",
            address="3号楼1单元101",
            community=city.jinxiu,
            group=Resident.Group.ELDERLY_ALONE,
            visit_every_days=30,
        ),
        observation=do_file_observation(city.supervisor, "service", "窗口无人", city.xingguang),
        meter=meter,
        alarm=alarm,
        tokens={name: create_token(getattr(city, name), "matrix")[1] for name in CAST},
        extra={"former_admin": _former_administrator()},
    )


def _former_administrator() -> User:
    user = User.objects.create_user("former", password="pw-former", role=Role.ADMIN)
    user.role = Role.AGENT
    user.save()
    return user
