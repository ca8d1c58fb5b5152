"""Grading with error carried forward: one verdict per asked value, gradient and tangent.

Every printed number is judged under the precision policy of `autograd.grading` at the
sheet's `digits` (the REQUIRED significant digits, never the student's):

    correct         within half a unit of the required last place of the exact value;
    rounding        within one unit of it (or the sheet's rtol/atol), or exactly what the
                    node's formula gives from the student's own earlier numbers when those
                    were themselves correct, rounding or too few digits;
    too_few_digits  the exact value correctly rounded, but to fewer digits than asked;
    carried         wrong, but what the node's formula gives from the student's OWN earlier
                    numbers, some of which were wrong (the error was carried forward);
    slip            none of these (a printed 0 for a non-zero exact value is a slip, never
                    carried: a 0 that follows from an earlier 0 shows no work);
    missing         not answered.

"What the formula gives" for a value: the node's expression evaluated at the student's values
of the names it uses (the exact value where the student gave none). For a gradient: the chain
rule over the named nodes that use the quantity, with the student's gradients of those nodes
(where not given: what the chain rule gives from the student's numbers) times the local
derivatives evaluated by the op table's rules at the student's values, inputs AND output (so
sigmoid's f(1 - f) uses the student's f). "Gives" means: correct or rounding against that
number under the same policy. For a tangent (`[ask] jvp`, answered in `[jvp]`): the forward
sweep's step, the sum over the names the node uses of its local derivative (at the student's
values, as for a gradient) times the student's tangent of that name (where not given: what the
sweep gives from the student's numbers; a leaf's is the sheet's direction).

A gradient slip is re-graded under the misconception catalogue (`autograd.misconceptions`,
via `.diagnose`): the entry's `diagnosis` names the first misconception that reproduces the
student's number from the student's own numbers. Points and credit come from the sheet's
`[grading]` table (`sheet.policy`).

Values are graded in forward order, then gradients from the root down, then the root's tangent
(the one a jvp sheet asks; the student's other tangents only feed what it is compared with); the
first slip in that order is reported as the first slip. `suspect_seed` compares a submission with the keys of
other variants (a copied answer sheet matches another seed better than its own).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..gradients import gradients
from ..grading import ACCEPTED, Entry, verdict
from ..misconceptions import diagnose, diagnosis
from ..value import Value
from .answers import TABLES, Answers
from .diagnose import gradient_alternatives
from .errors import SheetError, require, where
from .expr import Tree, names_in, to_value
from .report import GradeReport
from .sheet import Problem, Sheet
from .sweep import TANGENT, tangents

__all__ = ["grade", "own_value", "own_partial", "suspect_seed"]

_OK = ACCEPTED


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


Numbers = dict[str, dict[str, float]]  # quantity ("value", "grad", "jvp") -> name -> number


class _Grader:
    """The state of one grading: exact numbers, the student's, the 'clean' ones, verdicts."""

    def __init__(self, problem: Problem, answers: Answers) -> None:
        self.problem, self.sheet, self.answers = problem, problem.sheet, answers
        # student: the student's numbers (exact values where none given);
        # clean: the same with every wrong number replaced by the exact one
        self.student: Numbers = {"value": dict(problem.values), "grad": {}, "jvp": {}}
        self.clean: Numbers = {"value": dict(problem.values), "grad": {}, "jvp": {}}
        self.tangents = tangents(problem) if self.sheet.jvp else {}  # exact, along [ask] jvp
        # (name, quantity) -> (printed, exact, own number, verdict)
        self.entries: dict[tuple[str, str], tuple[str, float, float | None, str]] = {}
        self.codes: dict[str, str | None] = {}  # gradient slips: name -> misconception code

    def _judge(self, printed: str, reference: float | None) -> str:
        if reference is None:
            return "slip"
        return verdict(printed, reference, self.sheet.digits, self.sheet.rtol, self.sheet.atol)

    def verdict(self, printed: str, exact: float, own_student: float | None,
                own_clean: float | None) -> str:
        """One verdict; see the module docstring."""
        first = self._judge(printed, exact)
        if first in _OK or float(printed) == 0.0:
            # a 0 that follows from a 0 is no evidence of work: never carried (a lazy "0" file
            # would otherwise be forgiven everything after its first number)
            return first
        clean, own = self._judge(printed, own_clean), self._judge(printed, own_student)
        if first == "too_few_digits" or "too_few_digits" in (clean, own):
            return "too_few_digits"  # the right number (or the student's own), too few digits
        if clean in _OK:
            return "rounding"
        return "carried" if own in _OK else "slip"

    def _record(self, name: str, quantity: str, printed: str, exact: float, own_s: float | None,
                own_c: float | None) -> None:
        verdict = self.verdict(printed, exact, own_s, own_c)
        self.student[quantity][name] = float(printed)
        # the clean numbers keep what is right but under-precise: a later number worked from it
        # is off by rounding, not carried
        keep = verdict in _OK or verdict == "too_few_digits"
        self.clean[quantity][name] = float(printed) if keep else exact
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

    def _diagnose(self, name: str, printed: str) -> str | None:
        """The misconception that gives the student's gradient from the student's numbers."""
        consumers = self.sheet.consumers(name)
        if name == self.sheet.root or not consumers:
            return None
        upstream = {c: self.student["grad"][c] for c in consumers}
        trees = {c: self.sheet.nodes[c] for c in consumers}
        return diagnose(printed, gradient_alternatives(trees, name, self.student["value"], upstream),
                        self.sheet.digits)

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
                if self.entries[(name, "grad")][3] == "slip":
                    self.codes[name] = self._diagnose(name, printed)
            else:  # not written down: the chain rule's number from the student's own numbers
                self.student["grad"][name] = own_s if own_s is not None else exact
                self.clean["grad"][name] = own_c if own_c is not None else exact

    def _own_tangent(self, name: str, numbers: Numbers) -> float | None:
        """The forward sweep's step for node `name` from `numbers` (see the module docstring)."""
        tree, values, total = self.sheet.nodes[name], numbers["value"], 0.0
        for used in names_in(tree):
            local = own_partial(tree, used, values, values[name])
            if local is None:
                return None
            total += local * numbers["jvp"][used]
        return total

    def jvp(self) -> None:
        """Every tangent in forward order (ungiven ones become the sweep's own number)."""
        if not self.sheet.jvp:
            return
        for name in self.sheet.order:
            exact = self.tangents[name]
            if name in self.sheet.nodes:
                own_s = self._own_tangent(name, self.student)
                own_c = self._own_tangent(name, self.clean)
            else:
                own_s = own_c = exact  # a leaf's tangent is the sheet's direction
            printed = self.answers.jvp.get(name)
            if printed is not None:
                self._record(name, "jvp", printed, exact, own_s, own_c)
            else:
                self.student["jvp"][name] = own_s if own_s is not None else exact
                self.clean["jvp"][name] = own_c if own_c is not None else exact

    def _exact(self, name: str, quantity: str) -> float:
        numbers = {"value": self.problem.values, "grad": self.problem.grads, "jvp": self.tangents}
        return numbers[quantity][name]

    def _formula(self, name: str, quantity: str) -> str:
        """The node's expression, the chain rule it takes part in, or its sweep step."""
        root = self.sheet.root
        if quantity == "value":
            return self.sheet.formulas.get(name, "")
        if quantity == "grad":
            return " + ".join(f"d{root}/d{c} * d{c}/d{name}" for c in self.sheet.consumers(name))
        if name not in self.sheet.nodes:
            return ""
        used = sorted(names_in(self.sheet.nodes[name]), key=self.sheet.order.index)
        return " + ".join(f"d{name}/d{u} * {TANGENT}({u})" for u in used)

    def report(self, suspect: Mapping[str, int] | None = None) -> GradeReport:
        """The asked entries, values in forward order then gradients from the root down."""
        order, root, policy = self.sheet.order, self.sheet.root, self.sheet.policy
        grad_order = [root] + [n for n in reversed(order) if n != root]
        asked = [(n, "value") for n in order if n in self.sheet.values]
        asked += [(n, "grad") for n in grad_order if n in self.sheet.grads]
        asked += [(root, "jvp")] if self.sheet.jvp else []  # the root's directional derivative
        entries: list[Entry] = []
        for name, quantity in asked:
            printed: str | None
            own: float | None
            if (name, quantity) in self.entries:
                printed, exact, own, verdict_ = self.entries[(name, quantity)]
            else:
                printed, own, verdict_ = None, None, "missing"
                exact = self._exact(name, quantity)
            formula = self._formula(name, quantity)
            code = self.codes.get(name) if quantity == "grad" and verdict_ == "slip" else None
            entries.append(policy.apply(Entry(name, quantity, printed, exact, own, verdict_, formula,
                                              root, diagnosis=diagnosis(code),
                                              digits=self.sheet.digits)))
        return GradeReport(self.sheet, self.answers.student, self.problem.seed, entries, suspect)


def _matches(problem: Problem, answers: Answers) -> int:
    """How many of the answers are correct or rounding against this problem's exact numbers."""
    sheet, hits = problem.sheet, 0
    along = tangents(problem) if sheet.jvp and answers.jvp else {}
    for table, exact in (("values", problem.values), ("grads", problem.grads), ("jvp", along)):
        for name, printed in getattr(answers, table).items():
            hits += verdict(printed, exact[name], sheet.digits, sheet.rtol, sheet.atol) in _OK
    return hits


def suspect_seed(sheet: Sheet, answers: Answers, seed: int, others: Iterable[int],
                 keys: dict[int, Problem] | None = None) -> int | None:
    """Another seed whose key the answers match better than their own seed's key, or None.

    Only for sheets with variants; `others` are the seeds to compare with (the class's).
    `keys` (seed -> Problem) is a cache a batch passes so each variant is built once.
    """
    require(sheet, Sheet, "sheets.suspect_seed", "a Sheet")
    require(answers, Answers, "sheets.suspect_seed", "an Answers")
    if not sheet.variants:
        return None
    keys = {} if keys is None else keys

    def key(s: int) -> Problem:
        if s not in keys:
            keys[s] = sheet.problem(s)
        return keys[s]

    own, best, found = _matches(key(seed), answers), 0, None
    if own == sum(len(getattr(answers, table)) for table in TABLES):
        return None  # every answer matches its own key: nothing matches better
    own_numbers = key(seed).numbers
    for other in dict.fromkeys(others):
        try:
            if other == seed or key(other).numbers == own_numbers:
                continue
            hits = _matches(key(other), answers)
        except SheetError:
            continue
        if hits > own and hits > best:
            best, found = hits, other
    return found


def grade(sheet: Sheet, answers: Answers, seed: int | None = None,
          other_seeds: Iterable[int] = (), keys: dict[int, Problem] | None = None) -> GradeReport:
    """Grade one answers file against the sheet (the variant of `seed`, or the answers' seed).

    `other_seeds`: the seeds of the rest of the class; a submission that matches one of their
    keys better than its own is flagged (`report.suspect == {"matches_seed": N}`); `keys`
    (seed -> Problem) caches the variants across a batch.
    """
    if not isinstance(sheet, Sheet) or not isinstance(answers, Answers):
        raise TypeError(f"grade(sheet, answers): needs a Sheet and an Answers, got "
                        f"{type(sheet).__name__} and {type(answers).__name__}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"grade: seed must be an int or None, got {type(seed).__name__}")
    if answers.seed is not None and seed is not None and answers.seed != seed:
        raise SheetError(f"{answers.source}: the answers are for seed {answers.seed}, "
                         f"but seed {seed} was given")
    answers.check_names(sheet.order)
    if answers.jvp and not sheet.jvp:
        name = next(iter(answers.jvp))
        raise SheetError(where(answers.source, answers.lines.get(("jvp", name), 0), name)
                         + "[jvp] answers a directional derivative, but this sheet asks for none "
                         "(it has no [ask] jvp)")
    chosen = answers.seed if answers.seed is not None else seed
    grader = _Grader(sheet.problem(chosen), answers)
    grader.values()
    grader.grads()
    grader.jvp()
    other = suspect_seed(sheet, answers, chosen, other_seeds, keys) if chosen is not None else None
    return grader.report({"matches_seed": other} if other is not None else None)
