"""Numbers as the tutor writes them: a few significant digits, the true minus sign (−) and
powers of ten as ×10ⁿ, so that every screen, hand-out and CLI table reads the same.

`fmt` is for people, `fmt_tex` for LaTeX; `operand` wraps a negative number in parentheses
where it stands in a product ("0.7 × (−0.5)"), and `signed` spells out the sign of a change.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _short(x: float, digits: int = 4) -> tuple[str, int | None]:
    """Mantissa text (ASCII '-') and decimal exponent (None for plain notation)."""
    x = float(x)
    if x == 0.0:
        return "0", None
    if not math.isfinite(x):
        return ("inf" if x > 0 else "-inf") if math.isinf(x) else "nan", None
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return mantissa, int(exponent)
    return text, None


def fmt(x: float, digits: int = 4) -> str:
    """A number for people: 4 significant digits, the true minus sign, ×10ⁿ for extremes.

    >>> fmt(-0.08000000000000002)
    '−0.08'
    """
    mantissa, exponent = _short(x, digits)
    text = mantissa if exponent is None else f"{mantissa}×10{str(exponent).translate(SUPERSCRIPT)}"
    return text.replace("-", MINUS)


def fmt_tex(x: float, digits: int = 4) -> str:
    """The same number for LaTeX math mode (ASCII minus)."""
    mantissa, exponent = _short(x, digits)
    return mantissa if exponent is None else f"{mantissa}\\times 10^{{{exponent}}}"


def operand(x: float) -> str:
    """A number as an operand: negative numbers in parentheses, '0.7 × (−0.5)'."""
    text = fmt(x)
    return f"({text})" if text.startswith(MINUS) else text


def operand_tex(x: float) -> str:
    """The same for LaTeX: '0.7 \\cdot (-0.5)'."""
    text = fmt_tex(x)
    return f"({text})" if text.startswith("-") else text


def digits_to_show(new: float, change: float) -> int:
    """Enough significant digits for a small change to stay visible in the updated value."""
    if change == 0 or new == 0:
        return 4
    gap = math.floor(math.log10(abs(new))) - math.floor(math.log10(abs(change)))
    return min(10, 4 + max(0, gap))


def signed(x: float) -> str:
    """A change with its sign spelled out: '+0.3', '−0.3', '0'."""
    text = fmt(x)
    return text if text.startswith(MINUS) or text == "0" else "+" + text
