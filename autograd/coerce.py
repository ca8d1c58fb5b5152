"""Numbers entering the engine: every one becomes a plain Python float (or int), exactly.

A number of another type that entered a node as itself would spread: `x ** np.float32(p)`
used to make every value and gradient downstream a float32 (a float16 exponent: errors of
4e-4), and saving such a model failed. So every door into the engine (the Value constructor,
constants in operators, pow's exponent, `vsum`, the optimizers' hyper-parameters, `nn` data)
converts here:

    float, int          kept (an int is rounded to the nearest float where a float is needed,
                        as Python's own arithmetic does)
    numpy floats / ints converted exactly (float16, float32, float64; a longdouble only when
                        its value is a float's)
    Fraction, Decimal   converted when the float holds exactly that value (Fraction(1, 2),
                        Decimal('0.25')); Fraction(1, 3) or Decimal('0.1') is refused: say
                        float(x) if rounding is what you want
    bool, str, complex, anything else: refused, naming the type

The engine core imports only the standard library: numpy numbers are recognised by what they
are (subclasses of float, or of `numbers.Real` / `numbers.Integral` once numpy registered
them), never by importing numpy.
"""
from __future__ import annotations

from decimal import Decimal
from numbers import Integral, Real

__all__ = ["exact_float", "exact_exponent", "is_number", "checked_flag", "checked_choice"]


def is_number(x: object) -> bool:
    """True for a real number the engine accepts in principle (bool is not one)."""
    return isinstance(x, (Real, Decimal)) and not _is_bool(x)


def _is_bool(x: object) -> bool:
    # numpy's bool_ is not a subclass of bool; its type name is 'bool' (numpy 2) or 'bool_'
    return isinstance(x, bool) or type(x).__name__ in ("bool_", "bool")


def _kind(x: object) -> str:
    """The type's name as a reader knows it: 'numpy.float32', 'Fraction', 'str'."""
    module = type(x).__module__
    name = type(x).__qualname__
    return name if module in ("builtins", "fractions", "decimal") else f"{module}.{name}"


def _show(x: object) -> str:
    text = repr(x)
    return text if len(text) <= 60 else text[:40] + "..." + text[-12:]


def exact_float(x: object, who: str = "Value") -> float:
    """`x` as a Python float holding exactly x's value, or a TypeError / ValueError naming the
    type and `who` (the call that received it). Non-finite values are refused too."""
    if type(x) is float:
        value = x
    elif _is_bool(x):
        raise TypeError(f"{who} needs a real number, got a bool: {x!r}")
    elif isinstance(x, Integral):
        try:
            value = float(int(x))
        except OverflowError:
            raise ValueError(f"{who} needs a finite number; the {_kind(x)} {_short_int(x)} is "
                             "too large for a float") from None
    elif isinstance(x, float):  # a float subclass: numpy.float64 and the like
        value = float(x)
    elif isinstance(x, (Real, Decimal)):  # Decimal is not registered as a Real
        value = _exact(x, who)
    else:
        raise TypeError(f"{who} needs a real number, got {_kind(x)}: {_show(x)}")
    if value - value:  # inf - inf and nan - nan are nan (truthy); finite - itself is 0.0
        kind = "" if type(x) is float else _kind(x) + " "
        raise ValueError(f"{who} needs a finite number, got {kind}{value!r}")
    return value


def exact_exponent(p: object, who: str = "pow") -> float | int:
    """pow's exponent: an int stays an int (x ** 3 stays exact integer power), numpy ints
    become ints, every other number a float by `exact_float`."""
    if type(p) is int:
        return p
    if isinstance(p, Integral) and not _is_bool(p):
        return int(p)
    return exact_float(p, who)


def _short_int(x: object) -> str:
    digits = int(x).bit_length() * 0.30103  # type: ignore[call-overload]
    return f"of about {int(digits)} digits" if digits > 40 else repr(int(x))  # type: ignore[call-overload]


def _exact(x: Real | Decimal, who: str) -> float:
    """float(x) for a Real that is not a float (Fraction, Decimal, numpy float32/16, ...),
    refused unless the float equals x exactly."""
    try:
        value = float(x)
    except (OverflowError, ValueError, TypeError) as exc:
        raise ValueError(f"{who}: the {_kind(x)} {_show(x)} has no float value ({exc})") from None
    if value - value:
        raise ValueError(f"{who} needs a finite number, got {_kind(x)} {_show(x)}")
    try:
        same = bool(x == value)
    except (TypeError, ValueError, ArithmeticError):
        same = False
    if not same:
        raise ValueError(f"{who}: the {_kind(x)} {_show(x)} is not exactly a float (the nearest "
                         f"is {value!r}); pass float(x) if that rounding is what you want")
    return value


def checked_flag(value: object, who: str) -> bool:
    """An on/off option as a bool (True, False, or numpy's bool), else a TypeError naming `who`:
    an array or a string used as a flag would be ambiguous or always true."""
    if not _is_bool(value):
        raise TypeError(f"{who} must be True or False, got {type(value).__name__}: "
                        f"{_show(value)}")
    return bool(value)


def checked_choice(value: object, choices: tuple[str, ...], who: str) -> str:
    """`value` if it is one of the strings `choices`, else a ValueError naming `who` and them
    (a non-string, e.g. an array, is refused before it is compared)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{who} must be one of {', '.join(map(repr, choices))}, got "
                         f"{_show(value)}")
    return value
