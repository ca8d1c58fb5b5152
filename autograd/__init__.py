"""autograd: a scalar reverse-mode automatic-differentiation engine for learning backprop.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + b ** 2          # -6 + 9 = 3
    >>> c.backward()
    >>> a.grad, b.grad              # dc/da = b, dc/db = a + 2b
    (-3.0, -4.0)

The rules of every op live in one table, `autograd.OPS` (see `autograd/ops.py`).
"""
from .backward import backward, gradients, topological_order, zero_grad
from .functional import grad, jacobian, value_and_grad
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .ops import OPS, Op
from .value import Value, as_value, maximum, minimum, vsum

__all__ = [
    "Value", "as_value", "maximum", "minimum", "vsum", "OPS", "Op",
    "backward", "gradients", "topological_order", "zero_grad",
    "grad", "value_and_grad", "jacobian",
    "gradcheck", "GradcheckError", "GradcheckReport",
]
__version__ = "0.1.0"
