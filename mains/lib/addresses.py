"""Where an address stops being public: the community (or street) and the building, then home.

An address as residents and agents write it reads, from the left: perhaps a city and
district, a street and number, the community (小区, 花园, 家园, 苑, 村…), parts of the
community (二期, 东区, 5号院, 3组), the building (3号楼, 12栋, B座, 5排), and then what is
personal: unit, floor, room, a name, a description in brackets. `public_end` reads those
parts from the left and answers where the last public one ends; everything it does not
recognise ends the reading, so an address it cannot read keeps nothing.

Numerals may be Arabic, full-width (read through NFKC), Chinese (三, 十二, 六〇二) or formal
(叁), and letters (A座, Ｂ栋). A number followed by 楼 is a building only when a unit or a
room follows it (3楼2单元501); otherwise (3楼, 一楼) it is a floor and personal.
"""

import re
import unicodedata
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇"
_NAME_CHAR = re.compile(rf"[{_CJK}A-Za-z·]")
_CHINESE_NUMERALS = "〇零一二三四五六七八九十百两"
_FORMAL_NUMERALS = "壹贰叁肆伍陆柒捌玖拾佰"
_NUM = (
    r"(?:第?(?:[0-9]+[A-Za-z]?|[A-Za-z]{1,2}[0-9]*"
    rf"|[{_CHINESE_NUMERALS}]+|[{_FORMAL_NUMERALS}]+))"
)
_SEP = re.compile(r"[\s·,，、-]*")
# A number and what it counts: any of these starts a new part, so a name stops before it.
_COUNTED = re.compile(
    rf"{_NUM}\s*(?:号楼|号院|单元|号|楼|栋|幢|座|排|#|期|区|组|门|梯|层|室|户)", re.ASCII
)
_PART = re.compile(rf"(?:{_NUM}\s*(?:期|区|组|号院)|[东西南北中](?:区|院))", re.ASCII)
_PERSONAL_AFTER = rf"\s*-?\s*(?:{_NUM}\s*(?:单元|门|梯|层|室|户|号)|[0-9])"
_BUILDING = re.compile(
    rf"{_NUM}\s*(?:号楼|号?栋|号?幢|号?座|排|#楼?"
    rf"|楼(?={_PERSONAL_AFTER})|号(?=\s*{_NUM}\s*(?:单元|门|梯)))",
    re.ASCII,
)
_STREET_NUMBER = re.compile(rf"{_NUM}\s*号(?!楼|院|栋|幢|座)", re.ASCII)
_STREET_WORDS = ("大街", "大道", "胡同", "路", "街", "巷", "弄")
# A city (聊城市, 乌鲁木齐市, not 华联超市) with its province, district and township.
_ADMIN = re.compile(
    rf"(?:[{_CJK}]{{2,7}}?(?:省|自治区))?[{_CJK}]{{2,4}}?(?<![超菜夜门集])市"
    rf"(?:[{_CJK}]{{1,6}}?(?:区|县|旗))?(?:[{_CJK}]{{1,6}}?(?:街道|镇|乡))?"
)
# Words that end a community's name, longest first within each length.
_SUFFIXES_LONG = (
    "安置小区 家属院 家属楼 家属区 生活区 宿舍区 住宅区 小区 花园 家园 新村 公寓 名苑 府邸 "
    "新城 名居 雅居 嘉园 华庭 国际 广场 佳苑 丽园 山庄 雅苑 水岸 绿洲 大厦 社区 宿舍 大院 "
    "公馆 庄园 别墅 大楼 商厦 天地 小镇 里弄"
).split()
# One-character endings need two characters before them (城建花园 is not 城 + 建花园).
_SUFFIXES_SHORT = tuple("苑城湾里府居村园庭坊邸墅寓阁轩庄屯")


@dataclass(frozen=True)
class Normalised:
    """An address read through NFKC, with where each of its characters came from."""

    text: str
    origin: list[int]  # origin[i]: index in the raw text of text[i]; one past the end last

    @classmethod
    def of(cls, raw: str) -> "Normalised":
        parts, origin = [], []
        for index, char in enumerate(raw):
            folded = unicodedata.normalize("NFKC", char)
            parts.append(folded)
            origin.extend([index] * len(folded))
        origin.append(len(raw))
        return cls("".join(parts), origin)

    def raw_index(self, index: int) -> int:
        return self.origin[index]


def _suffix_at(text: str, at: int, before: int) -> int:
    """The length of a community ending at `at`, given `before` name characters before it."""
    if before >= 1:
        for word in _SUFFIXES_LONG:
            if text.startswith(word, at):
                return len(word)
    if before >= 2 and text[at] in _SUFFIXES_SHORT:
        return 1
    return 0


def suffixes_from(text: str, at: int) -> int:
    """Further endings right after a community's name: 锦绣家园小区, 幸福里小区."""
    while at < len(text):
        length = _suffix_at(text, at, before=1)
        if not length:
            break
        at += length
    return at


def _name_run(text: str, at: int) -> int:
    """The end of the name characters from `at`, stopping where a counted part begins."""
    end = at
    while end < len(text) and _NAME_CHAR.match(text[end]):
        if end > at and _COUNTED.match(text, end):
            break
        end += 1
    return end


def community_name_end(text: str, at: int) -> int | None:
    """Where a community's name starting at `at` ends, or None if none starts there."""
    run_end = _name_run(text, at)
    for end in range(at + 1, run_end):
        length = _suffix_at(text, end, end - at)
        if length:
            return suffixes_from(text, end + length)
    if run_end > at:  # a name without an ending, followed by a part or a building: 龙湖 5号楼
        after = _SEP.match(text, run_end).end()  # type: ignore[union-attr]
        if _PART.match(text, after) or _BUILDING.match(text, after):
            return run_end
    return None


def _street_end(text: str, at: int) -> int | None:
    run_end = _name_run(text, at)
    for end in range(at + 1, run_end):
        for word in _STREET_WORDS:
            if text.startswith(word, end):
                return end + len(word)
    return None


@dataclass
class _Reading:
    text: str
    at: int = 0
    public: int = 0  # where the last public part read so far ends
    tentative: int | None = None  # a street number, public only if a compound follows it

    def take(self, end: int, tentative: bool = False) -> None:
        if not tentative:
            self.public = end
            self.tentative = None
        elif self.tentative is None:
            self.tentative = self.public
            self.public = end
        self.at = end

    def skip_separators(self) -> None:
        self.at = _SEP.match(self.text, self.at).end()  # type: ignore[union-attr]

    def end(self) -> int:
        return self.tentative if self.tentative is not None else self.public


def public_end(text: str, start: int = 0, named: bool = False) -> int:
    """Where the public part of `text` (NFKC) ends, reading from `start`.

    `named`: the community was already read (it is the order's): only its parts and the
    building may follow, never another name.
    """
    reading = _Reading(text, start, start)
    if not named and start == 0:
        admin = _ADMIN.match(text)
        if admin:
            reading.take(admin.end())
    after_street, street_read = False, False
    while True:
        reading.skip_separators()
        at = reading.at
        if at >= len(text):
            break
        if building := _BUILDING.match(text, at):
            reading.take(building.end())
            break
        if part := _PART.match(text, at):
            reading.take(part.end())
            after_street = False
            continue
        if after_street:
            after_street = False
            if number := _STREET_NUMBER.match(text, at):
                reading.take(number.end(), tentative=True)
                continue
            if text[at] in "与和" and (corner := _street_end(text, at + 1)):
                reading.take(corner)  # a crossing: 光岳路与卫育路
                continue
        if named:
            break
        name_end = community_name_end(text, at)
        street_end = None if street_read else _street_end(text, at)
        if name_end is not None and (street_end is None or name_end >= street_end):
            reading.take(name_end)
            named = True
        elif street_end is not None:
            reading.take(street_end)
            after_street = street_read = True
        else:
            break
    return reading.end()
