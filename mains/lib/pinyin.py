"""Pinyin spellings used to find a community by typing Latin letters."""

from pypinyin import Style, lazy_pinyin


def full_pinyin(text: str) -> str:
    """星光水晶城 → xingguangshuijingcheng"""
    return "".join(lazy_pinyin(text, errors="default")).lower().replace(" ", "")


def pinyin_initials(text: str) -> str:
    """星光水晶城 → xgsjc"""
    return "".join(
        s[0] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if s
    ).lower()
