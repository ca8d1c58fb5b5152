"""The one grader's rules: reading a printed number, the precision policy, verdicts and credit.

Shared by the worksheets (`autograd.sheets.grade`), the practice pages and the misconception
catalogue (`autograd.misconceptions`). The names below are the published API; they stay stable.

    >>> parse_number("\u22120.85").value, parse_number("0.7790").significant
    (-0.85, 4)
    >>> verdict("0.779", 0.77897, 4), verdict("-1", -0.85, 4), verdict("2", 2.223, 4)
    ('correct', 'too_few_digits', 'too_few_digits')
    >>> verdict("0", -0.85, 4), verdict("0.7789", 0.77897, 4), key_number(0.779, 4)
    ('slip', 'rounding', '0.7790')

**The precision policy.** A printed answer is judged at the precision the sheet ASKS for
(`digits`, the required significant digits), never at the precision the student chose:

- `correct`: within half a unit of the required last significant place of the exact value
  (at 4 digits, 0.779 for 0.77897; a tie counts as correct);
- `rounding`: within one unit of that place (cut instead of rounded, a last digit off by one),
  or within the sheet's `rtol`/`atol` when it sets them;
- `too_few_digits`: the exact value rounded (or cut) at a coarser place than required, with at
  least one non-zero digit (`2` for 2.223 at 4 digits, `-1` for -0.85, `0.7789` for 0.778986
  at 6 digits);
- `slip`: anything else. Zero is no special case: `0` for -0.85 is a slip.

Sheet grading adds `carried` (wrong, but what the student's own earlier numbers give) and
`missing` (not answered): `VERDICTS` lists all six in report order.
`verdict_at` takes the required last place directly: `autograd.check` requires the place a
printed solution's number shows (its own digits are the required ones).

**Credit and points.** Every asked quantity is worth `points` (default 1); a verdict earns the
fraction `credits[verdict]` of them (`DEFAULT_CREDITS`: correct, rounding and carried 1,
the others 0). The score is points earned / points possible. `Policy` holds both (a sheet's
`[grading]` table). `Entry` is one graded number, `Report` one graded submission.

**Printed numbers** (`parse_number`): an optional sign (`-`, `+` or the Unicode minus U+2212
that PDFs give), digits with an optional decimal point, an optional exponent (`1.38e-24`);
at most `MAX_NUMBER_CHARS` characters; the value must be a finite float that does not
underflow to 0. `^` is refused with "`^` is not a power: write `e**2`" style advice.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from .safetext import clean_text  # published here too (the API below stays stable)

__all__ = ["VERDICTS", "ACCEPTED", "DEFAULT_CREDITS", "MAX_NUMBER_CHARS", "NumberError", "Printed",
           "parse_number", "required_place", "verdict", "verdict_at", "key_number", "Diagnosis", "Entry",
           "Policy", "Report", "clean_text"]

VERDICTS = ("correct", "rounding", "too_few_digits", "carried", "slip", "missing")
ACCEPTED = ("correct", "rounding")  # the verdicts that mean "this number is right" (diagnosis: no)
DEFAULT_CREDITS: Mapping[str, float] = {"correct": 1.0, "rounding": 1.0, "carried": 1.0,
                                        "too_few_digits": 0.0, "slip": 0.0, "missing": 0.0}
MAX_NUMBER_CHARS = 60  # a printed answer longer than this is not a hand-written number
_NUMBER = re.compile(r"^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d{1,4}))?$")
_MINUSES = "\u2212\u2012\u2013\ufe63\uff0d"  # what PDFs and word processors paste for '-'
# A value exactly half a unit away (a rounding tie) must land on the accepting side even after
# the binary rounding of the exact value and of the printed number: a relative slack of 1e-9.
_SLACK = 1 + 1e-9


class NumberError(ValueError):
    """A printed answer that is not a number (the message says why and how to write it)."""


@dataclass(frozen=True)
class Printed:
    """A printed number: its text (normalised), value, significant digits and last place.

    `last_place` is the decimal exponent of the last printed digit ("0.731" -> -3,
    "1.38e-24" -> -26); `significant` counts the digits from the first non-zero one
    ("0.0070" -> 2; "0" -> 0).
    """

    text: str
    value: float
    significant: int
    last_place: int


def parse_number(text: object) -> Printed:
    """Read a typed or printed number; a NumberError (a ValueError) says what is wrong."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise NumberError(f"an answer must be a printed number such as \"0.731\", got "
                          f"{type(text).__name__}")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise NumberError(f"an answer must be a finite number, got {text!r}")
        text = repr(float(text)) if isinstance(text, float) else str(text)
        if len(text) > MAX_NUMBER_CHARS:
            raise NumberError(f"number too long ({len(text)} characters; at most {MAX_NUMBER_CHARS})")
    raw = text.strip()
    if len(raw) > MAX_NUMBER_CHARS:
        raise NumberError(f"number too long ({len(raw)} characters; at most {MAX_NUMBER_CHARS}): "
                          f"{clean_text(raw, 24)!r}")
    for minus in _MINUSES:
        raw = raw.replace(minus, "-")
    if "^" in raw:
        raise NumberError(f"`^` is not a power: write `e**2`, or a number as 1.5e-3 "
                          f"(got {clean_text(raw, 24)!r})")
    match = _NUMBER.match(raw)
    if match is None or not (match.group(2) or match.group(3)):
        raise NumberError(f"not a printed number: {clean_text(raw, 24)!r} (write it like "
                          "'0.731', '-0.1966' or '1.38e-24')")
    sign, whole, decimals, exponent = match.group(1), match.group(2), match.group(3) or "", int(match.group(4) or 0)
    value = float(raw)
    digits = (whole + decimals).lstrip("0")
    if not math.isfinite(value) or (value == 0.0 and digits):
        raise NumberError(f"number out of range for a float: {clean_text(raw, 24)!r}")
    normal = sign.replace("+", "") + (whole or "0") + (f".{decimals}" if match.group(3) is not None else "")
    if match.group(4) is not None:
        normal += f"e{exponent}"
    return Printed(normal, value, len(digits), exponent - len(decimals))


def required_place(exact: float, digits: int) -> int | None:
    """The decimal exponent of the last required digit of `exact` (None for exactly 0)."""
    if exact == 0.0:
        return None
    return math.floor(math.log10(abs(exact))) - digits + 1


def _within(given: float, exact: float, place: int, units: float) -> bool:
    # a few ulps on top: the printed text was rounded to a float, and so is the difference
    slack = 2 * (math.ulp(given) + math.ulp(exact))
    return abs(given - exact) <= units * 10.0 ** place * _SLACK + slack


def verdict(text: object, exact: float, digits: int, rtol: float = 0.0, atol: float = 0.0) -> str:
    """"correct", "rounding", "too_few_digits" or "slip" for a printed answer (module docstring).

    `text` is the printed number (a str, or a float read through its shortest repr);
    `digits` the required significant digits; `rtol`/`atol` widen the `rounding` band.
    """
    printed = text if isinstance(text, Printed) else parse_number(text)
    if not math.isfinite(exact):
        return "slip"
    if exact == 0.0:  # no significant digits to require: only 0 is correct
        given = printed.value
        return "correct" if given == 0.0 else ("rounding" if abs(given) <= atol else "slip")
    return verdict_at(printed, exact, required_place(exact, digits), rtol, atol)


def verdict_at(text: object, exact: float, place: int | None, rtol: float = 0.0,
               atol: float = 0.0) -> str:
    """The same verdict with the required last place given directly (`autograd.check` requires
    the place the printed number itself shows). `place=None`: no digits are required (a formula
    evaluated, not a number printed): correct within rtol/atol, else slip."""
    printed = text if isinstance(text, Printed) else parse_number(text)
    given = printed.value
    if not math.isfinite(exact):
        return "slip"
    if place is None:
        return "correct" if abs(given - exact) <= max(rtol * abs(exact), atol) else "slip"
    if _within(given, exact, place, 0.5):
        return "correct"
    if _within(given, exact, place, 1.0) or abs(given - exact) <= max(rtol * abs(exact), atol):
        return "rounding"
    if given != 0.0 and printed.last_place > place and (
            _within(given, exact, printed.last_place, 0.5) or _cut(given, exact, printed.last_place)):
        return "too_few_digits"
    return "slip"


def _cut(given: float, exact: float, place: int) -> bool:
    """`given` is `exact` cut (not rounded) at decimal place `place`: same sign, less than one
    unit of that place smaller in size."""
    return (given > 0) == (exact > 0) and 0 <= abs(exact) - abs(given) < 10.0 ** place * _SLACK


def key_number(x: float, digits: int) -> str:
    """`x` to `digits` significant digits as a key prints it, trailing zeros kept ('0.7790')."""
    if x == 0.0:
        return "0"
    text = f"{x:#.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa.rstrip(".")
    if exponent:
        return f"{mantissa}e{int(exponent)}"
    return mantissa


@dataclass(frozen=True)
class Diagnosis:
    """A named misconception that reproduces a slip: its catalogue code and one sentence."""

    code: str
    text: str


@dataclass(frozen=True)
class Entry:
    """One graded number: what was asked, given, exact; what the student's numbers give; verdict.

    `points` is what the entry is worth and `credit` the fraction earned; `diagnosis` names
    the misconception that reproduces a slip (None when none does, or for other verdicts).
    """

    label: str
    quantity: str      # "value", "grad" or "jvp" (the tangent along a sheet's direction)
    given: str | None  # the printed string, or None (missing)
    expected: float    # the engine's exact number
    consistent: float | None  # what the formula gives from the student's own numbers (None: cannot)
    verdict: str
    formula: str = ""  # the node's expression, or the chain rule it takes part in
    root: str = ""
    points: float = 1.0
    credit: float = 0.0
    diagnosis: Diagnosis | None = None
    digits: int = 4

    @property
    def name(self) -> str:
        """'value of f', 'dL/dw0' or 'ṫ(L)' (the tangent of L, forward mode)."""
        if self.quantity == "jvp":
            return f"ṫ({self.label})"
        return f"value of {self.label}" if self.quantity == "value" else f"d{self.root}/d{self.label}"

    @property
    def earned(self) -> float:
        """points * credit."""
        return self.points * self.credit

    def explanation(self, digits: int = 7) -> str:
        """One line: what was given, what is exact, what the student's numbers give, and why."""
        exact = f"{self.expected:.{digits}g}"
        if self.verdict == "missing":
            return f"{self.name}: not answered (exact {exact})"
        own = "cannot be evaluated" if self.consistent is None else f"gives {self.consistent:.{digits}g}"
        how = f"{self.formula} " if self.formula else ""
        text = {"correct": "correct",
                "rounding": f"off by rounding only (exact {exact})",
                "too_few_digits": f"too few digits: {self.digits} significant digits are asked "
                                  f"(exact {key_number(self.expected, self.digits)})",
                "carried": f"wrong (exact {exact}), but {how}{own} from your own numbers: error "
                           "carried forward",
                "slip": f"slip: from your own numbers {how}{own}; exact {exact}"}[self.verdict]
        if self.diagnosis is not None:
            text += f". Likely: {self.diagnosis.text}"
        return f"{self.name} = {self.given}: {text}"

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON data (numbers rounded to 15 significant digits: no float noise)."""
        return {"label": self.label, "quantity": self.quantity, "given": self.given,
                "expected": _tidy(self.expected), "consistent": _tidy(self.consistent),
                "verdict": self.verdict, "points": _tidy(self.points), "earned": _tidy(self.earned),
                "diagnosis": None if self.diagnosis is None else
                {"code": self.diagnosis.code, "text": self.diagnosis.text}}


def _tidy(x: float | None) -> float | None:
    """x to 15 significant digits (what a float's decimal can promise), None stays None."""
    return None if x is None else float(f"{x:.15g}")


@dataclass(frozen=True)
class Policy:
    """Points per quantity and credit per verdict: a sheet's `[grading]` table.

    `points` maps a value's name (`h`), a gradient written `dL/dh` or `jvp` (a sheet's one
    directional derivative) to its points;
    `default_points` is every other quantity's. `credits` maps each verdict to a fraction.
    """

    points: Mapping[str, float] = field(default_factory=dict)
    default_points: float = 1.0
    credits: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_CREDITS))

    def points_for(self, label: str, quantity: str, root: str) -> float:
        """The points of one asked quantity."""
        key = {"value": label, "jvp": "jvp"}.get(quantity, f"d{root}/d{label}")
        return float(self.points.get(key, self.default_points))

    def credit(self, verdict_: str) -> float:
        """The fraction of the points a verdict earns."""
        return float(self.credits.get(verdict_, DEFAULT_CREDITS.get(verdict_, 0.0)))

    def apply(self, entry: Entry) -> Entry:
        """`entry` with its points and credit set under this policy."""
        return replace(entry, points=self.points_for(entry.label, entry.quantity, entry.root),
                       credit=self.credit(entry.verdict))


E = TypeVar("E", bound=Entry)  # the entry type of a report (a check's entries add a step)


class Report(Generic[E]):
    """One graded submission: its entries in grading order, points, score and first slip.

    `title`, `sheet` (a name), `student` and `seed` say what was graded; `suspect` is
    {"matches_seed": N} when the numbers match another variant's key better than their own.
    """

    def __init__(self, title: str, sheet: str, student: str, seed: int | None,
                 entries: Iterable[E], suspect: Mapping[str, int] | None = None) -> None:
        self.title, self.sheet_name, self.student, self.seed = title, sheet, student, seed
        if isinstance(entries, (str, bytes)) or not isinstance(entries, Iterable):
            raise TypeError(f"{type(self).__name__}: entries must be a list of Entry, got "
                            f"{type(entries).__name__}")
        self.entries: list[E] = list(entries)
        if not all(isinstance(e, Entry) for e in self.entries):
            raise TypeError(f"{type(self).__name__}: every entry must be an Entry")
        self.suspect = dict(suspect) if suspect else None

    def count(self, verdict_: str) -> int:
        """How many entries have this verdict."""
        return sum(e.verdict == verdict_ for e in self.entries)

    @property
    def points(self) -> float:
        """The points possible."""
        return sum(e.points for e in self.entries)

    @property
    def earned(self) -> float:
        """The points earned."""
        return sum(e.earned for e in self.entries)

    @property
    def score(self) -> float:
        """Points earned / points possible, from 0 to 1 (0 when nothing is worth points)."""
        return self.earned / self.points if self.points else 0.0

    @property
    def slips(self) -> list[E]:
        """The slips, in grading order."""
        return [e for e in self.entries if e.verdict == "slip"]

    @property
    def first_slip(self) -> E | None:
        """The first slip in grading order (None if there is none)."""
        return next(iter(self.slips), None)

    def summary(self) -> str:
        """The score, points and counts in one line, and where the first slip is."""
        counts = ", ".join(f"{self.count(v)} {v}" for v in VERDICTS if self.count(v))
        first = self.first_slip
        where = f"; first slip: {first.name}" if first else "; no slip"
        suspect = (f"; SUSPECT: matches the key of seed {self.suspect['matches_seed']} better "
                   "than its own" if self.suspect else "")
        return (f"{clean_text(self.student)}: score {self.score:.3f} ({_g(self.earned)} of "
                f"{_g(self.points)} points; {counts}){where}{suspect}")

    def to_json(self) -> dict[str, Any]:
        """The `--json` form: sheet, seed, student, score, points, entries, first slip, suspect."""
        first = self.first_slip
        return {"sheet": self.sheet_name, "seed": self.seed, "student": self.student,
                "score": _tidy(self.score), "points": _tidy(self.points),
                "earned": _tidy(self.earned), "entries": [e.to_json() for e in self.entries],
                "first_slip": {"label": first.label, "quantity": first.quantity} if first else None,
                "suspect": self.suspect, "error": None}

    def __repr__(self) -> str:
        return f"Report({self.student!r}, score={self.score:.3f}, {len(self.entries)} entries)"


def _g(x: float) -> str:
    return f"{x:.6g}"
