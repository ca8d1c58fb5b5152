"""autograd: a scalar reverse-mode automatic-differentiation engine for learning backprop.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b + b ** 2          # -6 + 9 = 3
    >>> c.backward()
    >>> a.grad, b.grad              # dc/da = b, dc/db = a + 2b
    (-3.0, -4.0)

The rules of every op live in one table, `autograd.OPS` (see `autograd/ops.py`). The engine
core imports only the standard library; the diagram helpers (`draw`, `save`, `step_backward`)
import graphviz, so they are loaded on first use.
"""
from .backward import backward, zero_grad
from .check_report import CheckReport
from .compiled import compile
from .checker import check
from .paths import Explanation, explain
from .forward_mode import jvp
from .functional import grad, jacobian, value_and_grad
from .gradcheck import GradcheckError, GradcheckReport, gradcheck
from .gradients import gradients
from .graph import creation_order, topological_order
from .higher import hessian, hvp
from .ops import OPS, Op
from .trace import Trace
from .value import Value, as_value, maximum, minimum, no_grad, vsum
from . import compiled, readouts

# The read-outs (see autograd.readouts): refused from the user's code while compile traces.
# gradients keeps Values Values with create_graph=True (its 4th argument).
readouts.register(gradients, "autograd.gradients", "the gradients",
                  records=lambda args, kw: bool(kw.get("create_graph", len(args) > 3 and args[3])))
readouts.register(jacobian, "autograd.jacobian", "the Jacobian")
readouts.register(gradcheck, "autograd.gradcheck", "the analytic and numeric gradients")
readouts.register(check, "autograd.check", "the graph's values and gradients")
readouts.register(explain, "autograd.explain", "the chain rule's factors")
readouts.register_method(Trace, "__init__", "every node's value and gradient", "Trace(...)")
readouts.register_method(Value, "detach", "the traced number (into a new, constant leaf)")
readouts.register_method(compiled.Step, "__call__", "the loss of the parameters' current values",
                         "a compiled step(...)")
for method in ("check", "object_step", "run_flat"):
    readouts.register_method(compiled.Step, method, "the loss of the parameters' current values")
del method

_DIAGRAM_NAMES = ("draw", "save", "step_backward", "BackwardStepper")

__all__ = [
    "Value", "as_value", "maximum", "minimum", "vsum", "no_grad", "OPS", "Op",
    "backward", "creation_order", "gradients", "topological_order", "zero_grad",
    "grad", "value_and_grad", "jacobian", "hessian", "hvp", "jvp", "explain", "Explanation",
    "gradcheck", "GradcheckError", "GradcheckReport",
    "Trace", "check", "CheckReport", "compile", *_DIAGRAM_NAMES,
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Lazy so that `import autograd` never needs graphviz: only drawing does.
    if name in _DIAGRAM_NAMES:
        from . import diagram
        return getattr(diagram, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Module attributes plus the lazy diagram names, so `autograd.<TAB>` completes `draw`."""
    return sorted(set(globals()) | set(__all__))
