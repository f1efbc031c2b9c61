"""Text that came from outside, made safe to show: no control characters, bounded length.

A file's names, a CSV field or a typed setting can hold anything: escape sequences that
repaint a terminal (ESC, BEL, CR), a megabyte of text, line breaks that split a message
that must stay one line. Every message that repeats such text passes it through `shown`,
and a whole message can be made one bounded line with `one_line`.

For example `shown("w" + chr(27) + "[31m")` is the text 'w\\x1b[31m' (quotes included) and
`shown("x" * 500, limit=10)` is 'xxxxxxxxx…' (500 characters).
"""

from __future__ import annotations

__all__ = ["shown", "one_line", "printable_part", "SHOWN_LIMIT", "LINE_LIMIT"]

SHOWN_LIMIT = 60  # characters of outside text quoted in a message
LINE_LIMIT = 400  # characters of a whole message


def printable_part(text: str) -> str:
    """`text` with every control character written as an escape (\\x1b, \\n, \\u2028)."""
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """Outside text quoted for a message: escaped, cut to `limit` characters, length named.

    Anything that is not a str is shown through its repr (also bounded), so a number, a list
    or None read from a file is safe to pass too.
    """
    text = value if isinstance(value, str) else repr(value)
    clean = printable_part(text[: limit * 4])  # escapes only lengthen it: cut first
    if len(text) <= limit and len(clean) <= limit * 4:
        return f"'{clean}'" if isinstance(value, str) else clean
    cut = clean[: max(limit - 1, 1)]
    quoted = f"'{cut}…'" if isinstance(value, str) else f"{cut}…"
    return f"{quoted} ({len(text):,} characters)"


def one_line(message: str, limit: int = LINE_LIMIT) -> str:
    """`message` as one line of at most `limit` characters (control characters escaped)."""
    clean = printable_part(message.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
    if len(clean) <= limit:
        return clean
    return clean[: limit - 1] + "…"
