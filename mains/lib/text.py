"""Text from people, cleaned on the way in: one rule per kind of field, for every entry point.

- Identifiers (order numbers, the last four digits, codes, phones): read through NFKC
  and with the digits of any script as ASCII digits, without spaces or invisible
  characters; the field's own check then refuses what is still not an identifier.
  Normalised, because `１３７` and `137` are the same number to the person typing it.
- Names and addresses (one line) and prose (descriptions, notes, reasons): bidi
  controls, zero-width and other invisible format characters (Unicode category Cf) and
  control characters are removed; line breaks and tabs become a space in one-line text
  and stay in prose. Removed, not refused: they are invisible, so whoever typed or
  pasted them cannot see what to take out, and they mean nothing in a name or an address.
  NUL is the exception: it is refused where it always was (Django's forms, the API).

Free text keeps its own characters otherwise (NFC only): full-width brackets and the
ideographic space are how Chinese is written, not something to fold away.
"""

import unicodedata

NUL = "\x00"
_KEPT_CONTROLS = {NUL, "\n", "\t"}
_LINE_BREAKS = {"\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"}


def is_invisible(char: str) -> bool:
    """A bidi control, zero-width or other format character, or a control character."""
    category = unicodedata.category(char)
    return category == "Cf" or (category == "Cc" and char not in _KEPT_CONTROLS)


def _without_invisible(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    return "".join(char for char in text if not is_invisible(char))


def _unify_line_breaks(text: str) -> str:
    for brk in sorted(_LINE_BREAKS, key=len, reverse=True):
        text = text.replace(brk, "\n")
    return text


def clean_prose(value: str) -> str:
    """A description, note or reason: invisible characters out, line breaks kept."""
    text = _unify_line_breaks(value)
    return unicodedata.normalize("NFC", _without_invisible(text)).strip()


def clean_line(value: str) -> str:
    """A name or an address: invisible characters out, on one line."""
    text = _unify_line_breaks(value).replace("\n", " ").replace("\t", " ")
    return unicodedata.normalize("NFC", _without_invisible(text)).strip()


def ascii_digits(text: str) -> str:
    """Every decimal digit of any script (１, ٣, ३) as its ASCII digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def clean_identifier(value: str) -> str:
    """An order number, code or the last four digits: NFKC, ASCII digits, no spaces."""
    text = ascii_digits(unicodedata.normalize("NFKC", value))
    return "".join(char for char in text if not (char.isspace() or is_invisible(char)))
