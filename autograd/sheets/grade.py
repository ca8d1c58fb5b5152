"""Grading with error carried forward: one verdict per asked value and gradient.

    correct   equals the exact value to the digits printed (as `autograd.check` reads them);
    rounding  off only by rounding: within the sheet's rtol/atol of the exact value (check's
              rules), cut instead of rounded, or exactly what the node's formula gives from the
              student's own earlier numbers when those were themselves correct or rounding;
    carried   wrong, but what the node's formula gives from the student's OWN earlier numbers,
              some of which were wrong (the error was carried forward, not made here);
    slip      neither;  missing: not answered.

"What the formula gives" for a value: the node's expression evaluated at the student's values
of the names it uses (the exact value where the student gave none). For a gradient: the chain
rule over the named nodes that use the quantity, with the student's gradients of those nodes
(where not given: what the chain rule gives from the student's numbers) times the local
derivatives evaluated by the op table's rules at the student's values, inputs AND output (so
sigmoid's f(1 - f) uses the student's f). "Gives" means agrees to the digits printed (with the
sheet's rtol/atol), or is the same number cut instead of rounded.

Values are graded in forward order, then gradients from the root down; the first slip in that
order is reported as the first slip.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..checker import printed_tolerance
from ..gradients import gradients
from ..value import Value
from .answers import Answers
from .errors import SheetError
from .expr import Tree, names_in, to_value
from .report import Entry, GradeReport
from .sheet import Problem, Sheet

__all__ = ["grade", "own_value", "own_partial"]

_OK = ("correct", "rounding")


def own_value(tree: Tree, numbers: Mapping[str, float]) -> float | None:
    """The tree's value at `numbers` (name -> float), or None where the op rules refuse them."""
    try:
        return to_value(tree, {n: Value(numbers[n]) for n in names_in(tree)}).data
    except SheetError:
        return None


def own_partial(tree: Tree, name: str, numbers: Mapping[str, float], out: float) -> float | None:
    """d node / d name at `numbers`, the node's own (top) op differentiated at output `out`.

    The engine builds the expression from the numbers and differentiates it; the top op's local
    derivatives are recomputed by its op-table rule with `out` as the output, so a rule that
    reads its output (sigmoid: out(1 - out)) reads the given number. None where a rule refuses.
    """
    try:
        leaves = {n: Value(numbers[n], label=n) for n in names_in(tree)}
        top = to_value(tree, leaves)
        row, inputs = top.row, [p.data for p in top.parents]
        assert row is not None  # an expression's top is an op node
        top.local = (row.local(inputs[0], out, top.arg) if row.arity == 1
                     else row.local(inputs[0], inputs[1], out))
        partial: float = gradients(top, [leaves[name]])[0]  # create_graph=False: a float
        return partial
    except (SheetError, ArithmeticError, ValueError):
        return None


Numbers = dict[str, dict[str, float]]  # quantity ("value" or "grad") -> name -> number


class _Grader:
    """The state of one grading: exact numbers, the student's, the 'clean' ones, verdicts."""

    def __init__(self, problem: Problem, answers: Answers) -> None:
        self.problem, self.sheet, self.answers = problem, problem.sheet, answers
        # student: the student's numbers (exact values where none given);
        # clean: the same with every wrong number replaced by the exact one
        self.student: Numbers = {"value": dict(problem.values), "grad": {}}
        self.clean: Numbers = {"value": dict(problem.values), "grad": {}}
        # (name, quantity) -> (printed, exact, own number, verdict)
        self.entries: dict[tuple[str, str], tuple[str, float, float | None, str]] = {}

    def _tolerance(self, printed: str, reference: float) -> float:
        return max(printed_tolerance(printed), self.sheet.rtol * abs(reference), self.sheet.atol)

    def agrees(self, printed: str, reference: float | None) -> bool:
        """printed is `reference` to its digits (within the tolerances), or it cut instead of rounded."""
        if reference is None:
            return False
        given = float(printed)
        if abs(given - reference) <= self._tolerance(printed, reference):
            return True
        unit = 2 * printed_tolerance(printed)
        return (given == 0.0 or (given > 0) == (reference > 0)) and 0 <= abs(reference) - abs(given) < unit

    def verdict(self, printed: str, exact: float, own_student: float | None,
                own_clean: float | None) -> str:
        """One verdict; see the module docstring."""
        given = float(printed)
        if abs(given - exact) <= printed_tolerance(printed):
            return "correct"
        if self.agrees(printed, exact) or self.agrees(printed, own_clean):
            return "rounding"
        return "carried" if self.agrees(printed, own_student) else "slip"

    def _record(self, name: str, quantity: str, printed: str, exact: float, own_s: float | None,
                own_c: float | None) -> None:
        verdict = self.verdict(printed, exact, own_s, own_c)
        self.student[quantity][name] = float(printed)
        self.clean[quantity][name] = float(printed) if verdict in _OK else exact
        self.entries[(name, quantity)] = (printed, exact, own_s, verdict)

    def values(self) -> None:
        """Every given value, in forward order."""
        for name in self.sheet.order:
            printed = self.answers.values.get(name)
            exact = self.problem.values[name]
            if name in self.sheet.nodes:
                tree = self.sheet.nodes[name]
                own_s, own_c = own_value(tree, self.student["value"]), own_value(tree, self.clean["value"])
            else:
                own_s = own_c = exact  # a leaf's formula is its number
            if printed is not None:
                self._record(name, "value", printed, exact, own_s, own_c)

    def _own_grad(self, name: str, numbers: Numbers) -> float | None:
        if name == self.sheet.root:
            return 1.0
        total = 0.0
        for consumer in self.sheet.consumers(name):
            values = numbers["value"]
            local = own_partial(self.sheet.nodes[consumer], name, values, values[consumer])
            if local is None:
                return None
            total += numbers["grad"][consumer] * local
        return total

    def grads(self) -> None:
        """Every gradient, from the root down (ungiven ones become the chain rule's own number)."""
        root = self.sheet.root
        for name in [root] + [n for n in reversed(self.sheet.order) if n != root]:
            own_s, own_c = self._own_grad(name, self.student), self._own_grad(name, self.clean)
            printed = self.answers.grads.get(name)
            exact = self.problem.grads[name]
            if printed is not None:
                self._record(name, "grad", printed, exact, own_s, own_c)
            else:  # not written down: the chain rule's number from the student's own numbers
                self.student["grad"][name] = own_s if own_s is not None else exact
                self.clean["grad"][name] = own_c if own_c is not None else exact

    def report(self) -> GradeReport:
        """The asked entries, values in forward order then gradients from the root down."""
        order = self.sheet.order
        root = self.sheet.root
        grad_order = [root] + [n for n in reversed(order) if n != root]
        asked = [(n, "value") for n in order if n in self.sheet.values]
        asked += [(n, "grad") for n in grad_order if n in self.sheet.grads]
        entries: list[Entry] = []
        for name, quantity in asked:
            printed: str | None
            own: float | None
            if (name, quantity) in self.entries:
                printed, exact, own, verdict = self.entries[(name, quantity)]
            else:
                printed, own, verdict = None, None, "missing"
                exact = (self.problem.values if quantity == "value" else self.problem.grads)[name]
            formula = self.sheet.formulas.get(name, "") if quantity == "value" else \
                " + ".join(f"d{root}/d{c} * d{c}/d{name}" for c in self.sheet.consumers(name))
            entries.append(Entry(name, quantity, printed, exact, own, verdict, formula, root))
        return GradeReport(self.sheet, self.answers.student, self.problem.seed, entries)


def grade(sheet: Sheet, answers: Answers, seed: int | None = None) -> GradeReport:
    """Grade one answers file against the sheet (the variant of `seed`, or the answers' seed)."""
    if answers.seed is not None and seed is not None and answers.seed != seed:
        raise SheetError(f"{answers.source}: the answers are for seed {answers.seed}, "
                         f"but seed {seed} was given")
    answers.check_names(sheet.order)
    grader = _Grader(sheet.problem(answers.seed if answers.seed is not None else seed), answers)
    grader.values()
    grader.grads()
    return grader.report()
