"""Diagrams of computation graphs: forward values, backward gradients on every edge, a
step-by-step backward player, collapsed views of big models, and rendering that works after a
plain `pip install` (see `renderer.py` for how a dot executable is found).

    >>> from autograd import Value
    >>> from autograd.diagram import draw
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> out = (a * b).named("out"); out.backward()
    >>> "b·ḡ = -3.0 × 1.0 = -3.0" in draw(out).source
    True
"""
from .draw import GradsNotComputedWarning, GraphTooLarge, UnreadableDiagramWarning, draw
from .figure import Diagram, save
from .renderer import ENV_VAR, RenderError, RendererNotFound, find_renderer
from .stepper import BackwardStepper, step_backward

__all__ = ["draw", "save", "Diagram", "BackwardStepper", "step_backward", "RendererNotFound",
           "RenderError", "GraphTooLarge", "GradsNotComputedWarning", "UnreadableDiagramWarning", "find_renderer", "ENV_VAR"]
