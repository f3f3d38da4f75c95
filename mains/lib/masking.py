"""Masking of residents' personal data (PIPL): 138****1234, 张*, an address cut after its building.

A masked value never equals the value (so a page can never show a "masked" value that is
the real one) and shows the mask marker `****` where something was left out.
"""

import re
import unicodedata
from typing import Protocol

from mains.lib.addresses import Normalised, public_end, suffixes_from
from mains.lib.phones import normalise_phone

MARK = "****"

# Two-character family names (复姓) still in use; a name starting with one keeps both.
COMPOUND_SURNAMES = frozenset(
    """
    欧阳 上官 司马 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 轩辕 端木 独孤
    南宫 西门 百里 呼延 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 闻人 万俟 赫连 拓跋
    东郭 鲜于 闾丘 司空 亓官 司寇 子车 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 梁丘 左丘 第五
    """.split()
)


class Place(Protocol):
    name: str
    address: str


def _mobile_masked(digits: str) -> str:
    return digits[:3] + MARK + digits[-4:]


def _local_masked(local: str) -> str:
    """A landline's own number: at least four digits hidden, at most the last four shown."""
    shown = max(0, min(4, len(local) - 4))
    return "*" * (len(local) - shown) + (local[-shown:] if shown else "")


_LANDLINE = re.compile(r"(0[12][0-9]|0[3-9][0-9]{2})-?([0-9]{7,8})", re.ASCII)
_EXTENSION = re.compile(r"(?:-|转|ext\.?|x|#)([0-9]{1,6})$", re.ASCII | re.IGNORECASE)


def mask_phone(phone: str) -> str:
    """138****1234; 0635-****1234 (the area code is not personal); -*** for an extension."""
    if not phone.strip():
        return ""
    number = normalise_phone(phone)
    if re.fullmatch(r"1[3-9][0-9]{9}", number, re.ASCII):
        return _mobile_masked(number)
    extension = ""
    found = _EXTENSION.search(number)
    landline = _LANDLINE.fullmatch(number)
    if found and not landline:
        head = number[: found.start()]
        if _LANDLINE.fullmatch(head) or re.fullmatch(r"[0-9]{7,8}", head):
            number, extension = head, "-" + "*" * len(found.group(1))
            landline = _LANDLINE.fullmatch(number)
    if landline:
        return f"{landline.group(1)}-{_local_masked(landline.group(2))}{extension}"
    if re.fullmatch(r"[0-9]{7,8}", number):
        return _local_masked(number) + extension
    digits = re.sub(r"[^0-9]", "", number)
    shown = 4 if len(digits) >= 10 else 2 if len(digits) >= 7 else 0
    return "*" * max(4, len(digits) - shown) + (digits[-shown:] if shown else "")


def mask_name(name: str) -> str:
    """张*, 欧阳**, J***: the family name (the first letter of a Latin-script name) stays."""
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return name[0] + "***"
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[0]
    return surname + "*" * max(1, len(name) - len(surname))


def _known(community: "Place | str | None") -> tuple[str, str]:
    if community is None:
        return "", ""
    if isinstance(community, str):
        return community.strip(), ""
    return (community.name or "").strip(), (getattr(community, "address", "") or "").strip()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def mask_address(address: str, community: "Place | str | None" = None) -> str:
    """The community (or street) and the building, then ****: never the unit, floor or room.

    `community` is the order's community when it is known: its name (or its street
    address) is then kept exactly as the community is called, and no other name is read
    as one. Without it, what reads as a city, street, community and building is kept.
    What cannot be read keeps nothing: the answer is then only the marker.
    """
    raw = address.strip()
    if not raw:
        return ""
    seen = Normalised.of(raw)
    name, street = _known(community)
    if not (name or street):
        end = seen.raw_index(public_end(seen.text))
        return raw[:end].rstrip() + MARK
    for known, is_name in ((name, True), (street, False)):
        at = seen.text.find(_nfkc(known)) if known else -1
        if at < 0:
            continue
        after = at + len(_nfkc(known))
        start = suffixes_from(seen.text, after) if is_name else after
        end = public_end(seen.text, start, named=True)
        return known + raw[seen.raw_index(after) : seen.raw_index(end)].rstrip() + MARK
    end = seen.raw_index(public_end(seen.text, 0, named=True))
    return raw[:end].rstrip() + MARK
