"""How every number is printed for a reader: diagrams, Trace tables, the checker and the CLI.

One rule everywhere: `digits` significant digits (4 unless asked otherwise), so a small gradient
keeps its digits (`0.0006684`, not `0.0007` or `0.000668`), a tiny one switches to scientific
notation (`1.570e-24`), and no non-zero number is ever printed as zero or as `-0.0`.

    >>> format_number(0.00066842), format_number(1.5700001e-24), format_number(-3)
    ('0.0006684', '1.570e-24', '-3.0')
    >>> format_number(0.59326999, 6), format_number(-0.0), format_number(1234567.0)
    ('0.59327', '0.0', '1.235e+06')
"""
from __future__ import annotations

import math
from typing import SupportsFloat

__all__ = ["format_number", "check_digits", "DEFAULT_DIGITS", "MAX_DIGITS"]

DEFAULT_DIGITS = 4
MAX_DIGITS = 17  # a float has at most 17 significant decimal digits
# Fixed-point between these decimal exponents; outside, scientific notation keeps the digits
# readable (0.00001234 hides its digits behind zeros, 12345678.0 hides its size).
_FIXED_MIN_EXP, _FIXED_MAX_EXP = -4, 5


def check_digits(digits: object, name: str = "precision") -> int:
    """`digits` if it is an int from 1 to 17 (significant digits), else a ValueError naming it."""
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= MAX_DIGITS:
        raise ValueError(f"{name} must be an int from 1 to {MAX_DIGITS} (significant digits), "
                         f"got {digits!r}")
    return digits


def format_number(x: SupportsFloat, digits: int = DEFAULT_DIGITS) -> str:
    """`x` with `digits` significant digits: '0.08217', '3.0', '1.570e-24', never '-0.0'.

    Trailing zeros of fixed-point numbers are dropped (`0.5`, not `0.5000`) but a whole number
    keeps one decimal (`3.0`) so it still reads as a float; scientific notation keeps them
    (`1.570e-24` says four digits are known).
    """
    x = float(x)
    if x == 0.0:
        return "0.0"  # also turns -0.0 into 0.0: the sign of zero means nothing to a reader
    if not math.isfinite(x):
        return str(x)
    exponent = int(f"{x:.{digits - 1}e}".rsplit("e", 1)[1])  # after rounding: 9.9996 -> 1
    if not _FIXED_MIN_EXP <= exponent <= _FIXED_MAX_EXP:
        return f"{x:.{digits - 1}e}"
    text = f"{x:.{max(digits - 1 - exponent, 0)}f}"
    if "." in text:
        text = text.rstrip("0")
        return text + "0" if text.endswith(".") else text
    return text + ".0" if float(text) == x else text
