"""Is a number on the drawing readable? WCAG 2.x contrast, and a colour made readable. No Qt.

WCAG 2.x defines the relative luminance L of an sRGB colour (each channel linearised) and
the contrast ratio of two colours, (L_lighter + 0.05) / (L_darker + 0.05), from 1:1 (the
same colour) to 21:1 (black on white). Level AA asks 4.5:1 for ordinary text: on a
projector, in a lit room, paler numbers disappear.

`readable` keeps a colour when it already contrasts enough with its background, and
otherwise moves it towards black or white (whichever is further from the background) just
far enough; the drawing dims what a step does not use that way, never by washing text out.
Colours are (r, g, b) triples of floats in 0..1, or "#rrggbb" strings.
"""

from __future__ import annotations

AA_TEXT = 4.5  # WCAG 2.x level AA, ordinary text
TARGET = 4.6  # aimed for, so that rounding to 8-bit channels never falls below AA

Rgb = tuple[float, float, float]


def rgb(colour: str | Rgb) -> Rgb:
    """(r, g, b) in 0..1 from "#rrggbb" (or a triple, returned as floats)."""
    if isinstance(colour, str):
        text = colour.lstrip("#")
        if len(text) != 6:
            raise ValueError(f"expected a colour like '#1a2b3c', got {colour!r}")
        return tuple(int(text[k : k + 2], 16) / 255 for k in (0, 2, 4))  # type: ignore[return-value]
    r, g, b = colour
    return (float(r), float(g), float(b))


def _linear(channel: float) -> float:
    """An sRGB channel in 0..1 made linear (the WCAG 2.x formula)."""
    if channel <= 0.04045:
        return channel / 12.92
    return ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str | Rgb) -> float:
    """L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels: 0 (black) to 1."""
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | Rgb, b: str | Rgb) -> float:
    """(L_lighter + 0.05) / (L_darker + 0.05): 1 for the same colour, 21 for black on white."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def blend(a: str | Rgb, b: str | Rgb, t: float) -> Rgb:
    """The colour a fraction t of the way from a to b."""
    ra, rb = rgb(a), rgb(b)
    return tuple(x + (y - x) * t for x, y in zip(ra, rb))  # type: ignore[return-value]


def readable(colour: str | Rgb, background: str | Rgb, minimum: float = TARGET) -> Rgb:
    """`colour`, or the nearest colour towards black or white with `minimum` contrast."""
    if contrast_ratio(colour, background) >= minimum:
        return rgb(colour)
    black, white = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
    extreme = (
        black if contrast_ratio(black, background) >= contrast_ratio(white, background) else white
    )
    low, high = 0.0, 1.0  # bisection on how far to move: high always reads well enough
    for _ in range(30):
        middle = (low + high) / 2
        if contrast_ratio(blend(colour, extreme, middle), background) >= minimum:
            high = middle
        else:
            low = middle
    return blend(colour, extreme, high)
