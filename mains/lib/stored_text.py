"""Rows stored before mains.lib.text cleaned input: the data migrations clean them with this."""

from django.db.models import Q

from mains.lib.phones import is_valid_phone, normalise_phone
from mains.lib.text import clean_line

# Every character clean_line removes or turns into a space (control characters but NUL,
# and the format characters, Unicode category Cf); a test checks it against clean_line.
SUSPECT = (
    "[\x01-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def clean_stored_rows(model, phones: tuple[str, ...] = (), lines: tuple[str, ...] = ()) -> int:
    """Phones with other than ASCII digits; names and addresses with invisible characters."""
    query = Q()
    for field in phones:
        query |= Q(**{f"{field}__regex": r"[^0-9-]"})
    for field in lines:
        query |= Q(**{f"{field}__regex": SUSPECT})
    fields = (*phones, *lines)
    changed = []
    for row in model.objects.filter(query).only("pk", *fields).iterator(chunk_size=1000):
        before = [getattr(row, f) for f in fields]
        for field in phones:
            phone = normalise_phone(getattr(row, field))
            if is_valid_phone(phone):
                setattr(row, field, phone)
        for field in lines:
            setattr(row, field, clean_line(getattr(row, field)))
        if [getattr(row, f) for f in fields] != before:
            changed.append(row)
    model.objects.bulk_update(changed, fields, batch_size=500)
    return len(changed)
