from django import template

register = template.Library()


@register.filter
def phone_groups(phone: str) -> str:
    """A mobile number in three easy-to-read groups: 139 0000 0001."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return str(phone)
