"""The named functions of a Value (`x.exp()`, `x.relu()`, `x.max(y)`, ...) as a mixin class.

Each method is one row of the op table applied to the node: `self._unary(OPS[name])`. They live
apart from `autograd.node` so that the node module holds only what a node is and how one is
built; `Value` inherits them (the mixin has no slots of its own, so nodes stay as small).
"""
from __future__ import annotations

from .ops import OPS

__all__ = ["MathMethods"]

_ABS, _EXP, _LOG, _SQRT = OPS["abs"], OPS["exp"], OPS["log"], OPS["sqrt"]
_SIGMOID, _TANH, _RELU, _SOFTPLUS = OPS["sigmoid"], OPS["tanh"], OPS["relu"], OPS["softplus"]
_MAX, _MIN = OPS["max"], OPS["min"]


class MathMethods:
    """Differentiable functions of one node (and max/min of two), each a row of `autograd.OPS`."""

    __slots__ = ()

    def abs(self):
        """|x|; derivative sign(x), 0 at 0."""
        return self._unary(_ABS)

    def exp(self):
        """e**x; raises OverflowError for x > ~709.78 instead of returning inf."""
        return self._unary(_EXP)

    def log(self):
        """Natural log; ValueError for x <= 0."""
        return self._unary(_LOG)

    def sqrt(self):
        """Square root; ValueError for x < 0 (and for x = 0, where the derivative is infinite)."""
        return self._unary(_SQRT)

    def sigmoid(self):
        """1 / (1 + e**-x), exact limits 0 and 1 for large |x|."""
        return self._unary(_SIGMOID)

    def tanh(self):
        """Hyperbolic tangent."""
        return self._unary(_TANH)

    def relu(self):
        """max(x, 0); derivative 1 for x > 0, else 0 (relu'(0) = 0)."""
        return self._unary(_RELU)

    def softplus(self):
        """log(1 + e**x) without overflow; derivative sigmoid(x)."""
        return self._unary(_SOFTPLUS)

    def max(self, other):
        """Differentiable max: the gradient goes to self when self >= other (ties to self)."""
        return self._binary(_MAX, self._operand(other, "max"))

    def min(self, other):
        """Differentiable min: the gradient goes to self when self <= other (ties to self)."""
        return self._binary(_MIN, self._operand(other, "min"))
