"""Masking of residents' personal data (PIPL): 138****1234, 张*, address cut to the building."""

import re

_BUILDING = re.compile(r"[0-9０-９一二三四五六七八九十A-Za-z]+\s*(?:号楼|栋|幢|座|号院)")
_DIGITS = re.compile(r"[0-9０-９]")


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if not digits:
        return ""
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 7:
        return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]
    return "*" * len(digits)


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return name[0] + "***"
    return name[0] + "*" * max(1, len(name) - 1)


def mask_address(address: str) -> str:
    """Keep the address up to the building (楼/栋/幢…), drop unit and room."""
    address = address.strip()
    if not address:
        return ""
    match = _BUILDING.search(address)
    if match:
        kept = address[: match.end()]
        return kept + "****" if len(kept) < len(address) else kept
    return _DIGITS.sub("*", address)
