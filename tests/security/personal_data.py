"""Residents, orders and entries the personal-data tests share (not a test module)."""

from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.desk import actions
from mains.org.models import AccessLog

CALLER = ("张三", "13812341234", "星光水晶城3号楼2单元501")
MASKED_CALLER = ("张*", "138****1234", "星光水晶城3号楼****")
RESIDENT = ("王秀英", "13600001111", "星光水晶城5号楼1单元101")
MASKED_RESIDENT = ("王**", "136****1111", "星光水晶城5号楼****")


def views() -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=AccessLog.Action.VIEW).order_by("pk"))


def resolved(city, new_order, **fields):
    """An order sam worked and resolved: it waits in the callback queue."""
    order = new_order(**fields)
    actions.do_accept(order, city.sam)
    actions.do_arrive(order, city.sam)
    actions.do_resolve(order, city.sam, "更换了水表接头")
    order.refresh_from_db()
    return order


def register_resident(city, name=RESIDENT[0], phone=RESIDENT[1], community=None) -> Resident:
    return do_register_resident(
        city.dispatcher,
        consent_note="本人签字同意",
        name=name,
        phone=phone,
        address=RESIDENT[2],
        community=community or city.xingguang,
        group=Resident.Group.ELDERLY_ALONE,
        visit_every_days=30,
    )
