"""A variant's seed as a short code to print on a booklet and read back from an answers file.

    >>> variant_code(7)
    'V7-7'
    >>> seed_from_code("v7-7"), seed_from_code(variant_code(123456789))
    (7, 123456789)

The code is the seed in Crockford's base 32 (digits and letters without I, L, O, U, so it reads
back unambiguously from handwriting: O is read as 0, I and L as 1), prefixed by V, with one check
character after the dash: a miscopied character is refused, not graded as another variant.
"""
from __future__ import annotations

__all__ = ["variant_code", "seed_from_code", "CodeError"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ = {**{c: i for i, c in enumerate(_ALPHABET)}, "O": 0, "I": 1, "L": 1}
MAX_SEED = 2 ** 63 - 1


class CodeError(ValueError):
    """A variant code that does not read back (wrong character, wrong check, too long)."""


def _check(digits: list[int]) -> int:
    return sum((i + 1) * d for i, d in enumerate(digits)) % 32


def variant_code(seed: int) -> str:
    """'V' + the seed in base 32 + '-' + a check character."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise CodeError(f"a seed is an integer from 0 to 2**63 - 1, got {seed!r}")
    digits, rest = [], seed
    while True:
        digits.append(rest % 32)
        rest //= 32
        if not rest:
            break
    digits.reverse()
    return "V" + "".join(_ALPHABET[d] for d in digits) + "-" + _ALPHABET[_check(digits)]


def seed_from_code(code: str) -> int:
    """The seed of a code written by variant_code (case, spaces and O/I/L forgiven)."""
    if not isinstance(code, str) or len(code) > 40:
        raise CodeError(f"a variant code is a short text such as 'V7-7', got {str(code)[:40]!r}")
    text = code.strip().upper().replace(" ", "")
    if not text.startswith("V") or text.count("-") != 1:
        raise CodeError(f"a variant code looks like 'V7-7' (V, the code, a dash, a check "
                        f"character), got {code[:40]!r}")
    body, check = text[1:].split("-")
    try:
        digits = [_READ[c] for c in body]
    except KeyError as exc:
        raise CodeError(f"variant code {code[:40]!r}: {exc.args[0]!r} is not a code character") from None
    if not digits or len(check) != 1 or _check(digits) != _READ.get(check, -1):
        raise CodeError(f"variant code {code[:40]!r} does not check out: miscopied?")
    seed = 0
    for d in digits:
        seed = seed * 32 + d
    if seed > MAX_SEED:
        raise CodeError(f"variant code {code[:40]!r} is too large")
    return seed
