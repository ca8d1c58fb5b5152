"""Every bad input tried on the public API: the call as written, the error it must raise, and a
phrase its message must contain. tests/test_error_table.py runs each case and writes the
table docs/errors.md from the results.

To add a case, append ONE line to a list:
    case("the call as a user writes it", lambda: <that call>, ErrorType, "phrase in the message"),
The phrase should name the call (or the file) and what is wrong. The call text is only shown
in the table, never evaluated. Cases that touch files run in a fresh temporary directory.
"""
import math
import shlex
from collections import namedtuple

import autograd
import nn
import traced_examples as traced
from autograd import Value, check, grad, gradcheck, jacobian

Case = namedtuple("Case", "call run error phrase")


def case(call: str, run, error: type, phrase: str) -> Case:
    """One row of the table: `run()` must raise `error` with `phrase` in its message."""
    return Case(call, run, error, phrase)


def _file(name: str, data: bytes) -> str:
    """Write `data` to `name` (in the current, temporary, directory) and return the name."""
    with open(name, "wb") as handle:
        handle.write(data)
    return name


def _sparse(name: str, size: int) -> str:
    """A file of `size` bytes that takes no disk space (its size is all that load may read)."""
    with open(name, "wb") as handle:
        handle.truncate(size)
    return name


def _saved(name: str, model) -> str:
    return str(model.save(name))


def _y():
    """A small graph's root, labelled y."""
    return (Value(2.0, label="x") * 3).named("y")


def _stepper(**kwargs):
    from autograd.diagram import step_backward
    return step_backward(_y(), **kwargs)


def _draw(**kwargs):
    from autograd.diagram import draw
    return draw(_y(), view="forward", **kwargs)


_WEIGHTS_HEAD = b'{"format": "teachgrad.nn.weights", "version": 2, '

NN_CASES = [
    case("nn.MLP(2, None)", lambda: nn.MLP(2, None), TypeError, "MLP: sizes must be a list"),
    case("nn.MLP(2, [3, 0])", lambda: nn.MLP(2, [3, 0]), ValueError, "MLP: layer size"),
    case("nn.MLP(0, [1])", lambda: nn.MLP(0, [1]), ValueError, "MLP: nin"),
    case("nn.MLP(2, [1], activation='gelu')", lambda: nn.MLP(2, [1], activation="gelu"),
         ValueError, "unknown activation 'gelu'"),
    case("nn.Neuron(3, activation='relu', nonlin=True)",
         lambda: nn.Neuron(3, activation="relu", nonlin=True), ValueError, "Neuron: give"),
    case("nn.Layer(3, 2, nonlin='relu')", lambda: nn.Layer(3, 2, nonlin="relu"), TypeError,
         "Layer: nonlin must be True"),
    case("nn.MLP(2, [1])([1.0, 2.0, 3.0])", lambda: nn.MLP(2, [1])([1.0, 2.0, 3.0]), ValueError,
         "MLP expects 2 inputs, got 3"),
    case("nn.MLP(2, [1]).predict([1.0, 2.0, 3.0])",
         lambda: nn.MLP(2, [1]).predict([1.0, 2.0, 3.0]), ValueError,
         "MLP.predict expects 2 inputs, got 3"),
    case("nn.MLP(2, [1]).predict([1.0, 'a'])", lambda: nn.MLP(2, [1]).predict([1.0, "a"]),
         TypeError, "MLP.predict: expected numbers"),
    case("nn.SGD([], lr=0.1)", lambda: nn.SGD([], lr=0.1), ValueError, "SGD got an empty"),
    case("nn.SGD([a, a], lr=0.1)", lambda: nn.SGD([Value(1.0, label="a")] * 2, lr=0.1),
         ValueError, "SGD: parameter 1 (a) is the same Value as parameter 0"),
    case("nn.SGD([a], lr=-1)", lambda: nn.SGD([Value(1.0)], lr=-1), ValueError, "SGD: lr"),
    case("nn.SGD([a], lr=math.inf)", lambda: nn.SGD([Value(1.0)], lr=math.inf), ValueError,
         "SGD: lr"),
    case("nn.SGD([a], lr=0.1, momentum=1.0)",
         lambda: nn.SGD([Value(1.0)], lr=0.1, momentum=1.0), ValueError, "SGD: momentum"),
    case("nn.SGD([a], lr=lambda k: -1.0).step()",
         lambda: nn.SGD([Value(1.0)], lr=lambda k: -1.0).step(), ValueError,
         "SGD: the lr schedule gave -1.0 at step 0"),
    case("nn.SGD([a], lr=10.0).step() with a.grad = 1e308",
         lambda: _overflowing_step(), OverflowError, "would become -inf"),
    case("nn.Adam([a], eps=0)", lambda: nn.Adam([Value(1.0)], eps=0), ValueError, "Adam: eps"),
    case("nn.Adam([a], betas=0.9)", lambda: nn.Adam([Value(1.0)], betas=0.9), ValueError,
         "Adam: betas must be a pair"),
    case("nn.Adam([a], betas=(0.9, 1.0))", lambda: nn.Adam([Value(1.0)], betas=(0.9, 1.0)),
         ValueError, "Adam: betas[1]"),
    case("nn.binary_cross_entropy([1.5], [1.0])",
         lambda: nn.binary_cross_entropy([1.5], [1.0]), ValueError,
         "binary_cross_entropy: probabilities must lie in [0, 1]"),
    case("nn.binary_cross_entropy([0.5], [2.0])",
         lambda: nn.binary_cross_entropy([0.5], [2.0]), ValueError,
         "binary_cross_entropy: targets must lie in [0, 1]"),
    case("nn.binary_cross_entropy([1.0], [0.0])",
         lambda: nn.binary_cross_entropy([1.0], [0.0]), ValueError, "needs log(0)"),
    case("nn.binary_cross_entropy_with_logits([3.0], [-1.0])",
         lambda: nn.binary_cross_entropy_with_logits([3.0], [-1.0]), ValueError,
         "binary_cross_entropy_with_logits: targets must lie in [0, 1]"),
    case("nn.hinge_loss([0.5], [0])", lambda: nn.hinge_loss([0.5], [0]), ValueError,
         "hinge_loss: labels must be -1 or +1"),
    case("nn.cross_entropy([1.0, 2.0], 2)", lambda: nn.cross_entropy([1.0, 2.0], 2), ValueError,
         "cross_entropy: class index 2 out of range"),
    case("nn.mse_loss([1.0, 2.0], [1.0])", lambda: nn.mse_loss([1.0, 2.0], [1.0]), ValueError,
         "mse_loss: 2 predictions but 1 targets"),
    case("nn.mse_loss([1.0], [1.0], reduction='avg')",
         lambda: nn.mse_loss([1.0], [1.0], reduction="avg"), ValueError,
         "mse_loss: unknown reduction 'avg'"),
    case("nn.softmax([])", lambda: nn.softmax([]), ValueError, "softmax: got an empty list"),
    case("nn.log_softmax([1e308, -1e308])", lambda: nn.log_softmax([1e308, -1e308]),
         OverflowError, "sub"),
    case("model.load('missing.json')", lambda: nn.MLP(2, [1]).load("missing.json"), OSError,
         "cannot read weights file 'missing.json'"),
    case("model.load('deep.json')  # [[[[... 100,000 deep",
         lambda: nn.MLP(2, [1]).load(_file("deep.json", b"[" * 100_000 + b"]" * 100_000)),
         nn.serialize.WeightsFileError, "'deep.json' is not a valid weights file: JSON nested"),
    case("model.load('latin1.json')  # not UTF-8",
         lambda: nn.MLP(2, [1]).load(_file("latin1.json", _WEIGHTS_HEAD + b'"x": "caf\xe9"}')),
         nn.serialize.WeightsFileError, "'latin1.json' is not UTF-8 text"),
    case("model.load('digits.json')  # a 4,000-digit integer",
         lambda: nn.MLP(2, [1]).load(_file("digits.json", _WEIGHTS_HEAD
                                           + b'"parameters": {"a": ' + b"9" * 4000 + b"}}")),
         nn.serialize.WeightsFileError, "an integer of 4000 digits is not a weight"),
    case("model.load('huge.json')  # 1 GiB",
         lambda: nn.MLP(2, [1]).load(_sparse("huge.json", 2 ** 30)),
         nn.serialize.WeightsFileError, "'huge.json' is 1073741824 bytes, over the"),
    case("model.load('nan.json')  # a NaN weight",
         lambda: nn.MLP(2, [1]).load(_file("nan.json", _WEIGHTS_HEAD
                                           + b'"parameters": {"a": NaN}}')),
         nn.serialize.WeightsFileError, "NaN is not a finite number"),
    case("nn.MLP(2, [1]).load(<saved from MLP(2, [1], output_activation='tanh')>)",
         lambda: nn.MLP(2, [1]).load(_saved("tanh.json",
                                            nn.MLP(2, [1], output_activation="tanh"))),
         nn.serialize.WeightsFileError, "'tanh.json' was saved from another architecture"),
    case("nn.MLP(2, [1]).load(<saved from MLP(2, [1], bias=False)>)",
         lambda: nn.MLP(2, [1]).load(_saved("nobias.json", nn.MLP(2, [1], bias=False))),
         nn.serialize.WeightsFileError, "bias: file [False], model [True]"),
]


def _overflowing_step():
    a = Value(1.0, label="a")
    opt = nn.SGD([a], lr=10.0)
    a.grad = 1e308
    opt.step()


AUTOGRAD_CASES = [
    case("gradcheck(f, [])", lambda: gradcheck(lambda x: x, []), ValueError,
         "gradcheck: inputs is empty"),
    case("gradcheck(f, 1.0)", lambda: gradcheck(lambda x: x, 1.0), TypeError,
         "gradcheck: inputs must be a list"),
    case("gradcheck(f, [1.0], eps=0)", lambda: gradcheck(lambda x: x * x, [1.0], eps=0),
         ValueError, "gradcheck: eps must be a finite number > 0"),
    case("gradcheck(f, [1.0], rtol=math.nan)",
         lambda: gradcheck(lambda x: x * x, [1.0], rtol=math.nan), ValueError,
         "gradcheck: rtol must be a finite number >= 0"),
    case("gradcheck(f, [1.0], atol=-1)", lambda: gradcheck(lambda x: x * x, [1.0], atol=-1),
         ValueError, "gradcheck: atol"),
    case("gradcheck(lambda x: None, [1.0])", lambda: gradcheck(lambda x: None, [1.0]),
         TypeError, "gradcheck: f must return a Value"),
    case("jacobian(lambda x: None, [1.0])", lambda: jacobian(lambda x: None, [1.0]), TypeError,
         "jacobian: f must return"),
    case("jacobian(lambda x: {'a': x}, [1.0])", lambda: jacobian(lambda x: {"a": x}, [1.0]),
         TypeError, "jacobian: f must return"),
    case("jacobian(f, [])", lambda: jacobian(lambda: Value(1.0), []), ValueError,
         "jacobian: inputs is empty"),
    case("grad(f, argnums='a')", lambda: grad(lambda x: x, argnums="a"), TypeError,
         "argnums must be an int or a tuple of ints"),
    case("grad(f, argnums=3)(1.0)", lambda: grad(lambda x: x, argnums=3)(1.0), ValueError,
         "grad/value_and_grad: argnums 3 is out of range for 1 argument"),
    case("autograd.hessian(f, [])", lambda: autograd.hessian(lambda x: x, []), ValueError,
         "hessian: inputs is empty"),
    case("jacobian(f, [1.0], mode='sideways')",
         lambda: jacobian(lambda x: x, [1.0], mode="sideways"), ValueError,
         "jacobian: mode must be 'reverse' (row by row) or 'forward'"),
    case("autograd.jvp(f, [1.0, 2.0], [1.0])",
         lambda: autograd.jvp(lambda x, y: x * y, [1.0, 2.0], [1.0]), ValueError,
         "jvp: tangents must have one entry per primal (2), got 1"),
    case("autograd.jvp(f, [1.0], ['1'])", lambda: autograd.jvp(lambda x: x, [1.0], ["1"]),
         TypeError, "jvp: tangents entry 0 must be a number or a Value, got str"),
    case("autograd.hvp(f, [1.0], [1.0], mode='both')",
         lambda: autograd.hvp(lambda x: x * x, [1.0], [1.0], mode="both"), ValueError,
         "hvp: mode must be 'reverse' (reverse over reverse) or 'forward'"),
    case("autograd.explain(loss, Value(1.0, label='w'))",
         lambda: autograd.explain(_y(), Value(1.0, label="w")), ValueError,
         "explain: wrt, 'w', is not in the graph of root"),
    case("autograd.explain(loss, w, limit=-1)",
         lambda: autograd.explain(_y(), Value(1.0), limit=-1), ValueError,
         "explain: limit must be an int >= 0"),
    case("check(y, {'y': ('1', '2', '3')})", lambda: check(_y(), {"y": ("1", "2", "3")}),
         ValueError, "check: expected['y'] must be a value or a (value, grad) pair"),
    case("check(y, {'y': '6'}, rtol=math.nan)", lambda: check(_y(), {"y": "6"}, rtol=math.nan),
         ValueError, "check: rtol and atol must be finite numbers >= 0"),
    case("check(y, {'y': 'six'})", lambda: check(_y(), {"y": "six"}), ValueError,
         "check: expected value of 'y': not a printed number: 'six'"),
    case("step_backward(y, practice='yes')", lambda: _stepper(practice="yes"), TypeError,
         "practice must be True or False, got str"),
    case("step_backward(y, ask=[x])", lambda: _stepper(ask=_y().parents[:1]), ValueError,
         "ask= names the gradients practice mode asks for: pass practice=True"),
    case("step_backward(y, practice=True, collapse=2)",
         lambda: _stepper(practice=True, collapse=2), ValueError,
         "practice mode asks for every scalar gradient, so it does not collapse"),
    case("draw(y, grades={'x': 4.0})", lambda: _draw(grades={"x": 4.0}), TypeError,
         "grades must be a graded submission (an autograd.grading.Report"),
]

# The engine core's cases: Value construction, operators, backward and its helpers.
ENGINE_CORE_CASES = [
    case("Value(True)", lambda: Value(True), TypeError, "Value needs a real number, got a bool"),
    case("Value(label=5)", lambda: Value(1.0, label=5), TypeError, "label must be a str"),
    case("Value(1.0, (), '')", lambda: Value(1.0, (), ""), TypeError,
         "Value takes one positional argument"),
    case("Value(2.0, 'w')", lambda: Value(2.0, "w"), TypeError, "the label is keyword-only"),
    case("Value(1.0) + 10**400", lambda: Value(1.0) + 10 ** 400, ValueError,
         "add: a constant must be a finite float"),
    case("Value(float('nan'))", lambda: Value(math.nan), ValueError, "Value needs a finite number"),
    case("Value(-1.0).log()", lambda: Value(-1.0).log(), ValueError, "log(-1.0)"),
    case("Value(0.0).sqrt()", lambda: Value(0.0).sqrt(), ValueError, "derivative is infinite"),
    case("Value(1000.0).exp()", lambda: Value(1000.0).exp(), OverflowError, "exp(1000.0) overflows"),
    case("Value(1.0) / 0", lambda: Value(1.0) / 0, ZeroDivisionError, "div(1.0, 0.0)"),
    case("Value(-8.0) ** 0.5", lambda: Value(-8.0) ** 0.5, ValueError, "not real"),
    case("Value(1.0) < Value(2.0)", lambda: Value(1.0) < Value(2.0), TypeError, "not ordered"),
    case("Value(1.0) * [2]", lambda: Value(1.0) * [2], TypeError, "multiplies only numbers"),
    case("autograd.backward([y])", lambda: autograd.backward([_y()]), TypeError,
         "backward needs a Value"),
    case("autograd.zero_grad([y])", lambda: autograd.zero_grad([_y()]), TypeError,
         "zero_grad needs a Value"),
    case("y.backward(grad=math.inf)", lambda: _y().backward(grad=math.inf), ValueError,
         "the seed) must be a finite number"),
    case("(x * 10).backward(grad=1e308)", lambda: (Value(1.0, label="x") * 10).backward(grad=1e308),
         OverflowError, "backward: the gradient passed back from an unlabelled mul node"),
    case("backward(y, order=[y])", lambda: autograd.backward(_y(), order=[_y()]), ValueError,
         "order must be creation_order(root)"),
]


def _w():
    return Value(0.5, label="w")


def _compiled_overflow():
    w = Value(1.0, label="w")
    step = autograd.compile(lambda x: (w * x).sqrt() * 1e300, [w], example=(1.0,),
                            backend="python")
    step([1.0, 1e-300])


def _drifting():
    calls = iter(range(1, 10))
    w = _w()
    step = autograd.compile(lambda x: w * x * float(next(calls)), [w], example=(1.0,))
    step([1.0, 2.0])


def traced_case(call: str, fn, example: tuple, phrase: str) -> Case:
    """compile(fn, [w], example) must raise TraceError with `phrase` (fn reads a traced node)."""
    return case(call, lambda: autograd.compile(fn, [traced.W], example=example),
                autograd.compiled.TraceError, phrase)


# autograd.compile: what it refuses while tracing (naming the node and the line) and after
COMPILE_CASES = [
    traced_case("compile(lambda x, y: (1 - y.data * (w * x)).relu(), [w], example=(1.0, 1.0))",
                traced.reads_data, (1.0, 1.0), "reading .data of node 'y'"),
    traced_case("compile(lambda x: w * x if x > 0 else w, [w], example=(1.0,))",
                traced.compares, (1.0,), "comparing with > of node 'x'"),
    traced_case("compile(lambda x: w * float(x), [w], example=(1.0,))", traced.converts, (1.0,),
                "float() of node 'x'"),
    traced_case("compile(lambda x: w * round(x), [w], example=(1.0,))", traced.rounds, (1.0,),
                "round() of node 'x'"),
    traced_case("compile(lambda x: w * x if x else w, [w], example=(1.0,))", traced.branches,
                (1.0,), "bool() / if / and / or of node 'x'"),
    traced_case("compile(lambda x: Value(len(f'{x}')) * w, [w], example=(1.0,))",
                traced.formats, (1.0,), "formatting (f-string / format()) of node 'x'"),
    traced_case("compile(lambda x: w * x * (1.0 - 0.1 * w.grad), [w], example=(1.0,))",
                traced.reads_grad, (1.0,), "reading .grad of node 'w'"),
    traced_case("compile(f, [w], example=(1.0,)); f: y = (w * x).tanh(); return y * y.local[0]",
                traced.reads_local, (1.0,), "reading .local of an unlabelled tanh node"),
    traced_case("compile(lambda x: w * x - model.predict([x]), [w], example=(1.0,))",
                traced.predicts, (1.0,), "calling MLP.predict() at traced_examples.py"),
    traced_case("compile(lambda x, y: w * x * nn.accuracy(model, [[x]], [y]), [w], "
                "example=(1.0, 1.0))", traced.scores, (1.0, 1.0),
                "calling nn.accuracy() at traced_examples.py"),
    case("compile(lambda x: w * x * next_number(), ...)(X) (a number drawn per call)",
         _drifting, autograd.compiled.TraceError, "structure depends on the data"),
    case("compile(lambda x: outside * x, [w], example=(1.0,))",
         lambda: autograd.compile(lambda x: _OUTSIDE * x, [_w()], example=(1.0,)),
         autograd.compiled.TraceError, "computed before tracing"),
    case("compile(lambda x: Value(1.0), [w], example=(1.0,))",
         lambda: autograd.compile(lambda x: Value(1.0), [_w()], example=(1.0,)),
         autograd.compiled.TraceError, "returned a leaf"),
    case("compile(lambda x: w * x, [w], example=(1.0, 2.0))",
         lambda: autograd.compile(lambda x: _w() * x, [_w()], example=(1.0, 2.0)), TypeError,
         "compile: the example has 2 argument(s) but fn cannot take them"),
    case("compile(lambda x: w * x, [w], example=('a',))",
         lambda: autograd.compile(lambda x: _w() * x, [_w()], example=("a",)), TypeError,
         "argument 'x' must be a number or a list of numbers"),
    case("compile(f, [w], example=(1.0,), backend='gpu')",
         lambda: autograd.compile(lambda x: _w() * x, [_w()], example=(1.0,), backend="gpu"),
         ValueError, "compile: backend must be one of"),
    case("compile(f, [w, w], example=(1.0,))",
         lambda: autograd.compile(lambda x: x * 2.0, [_W] * 2, example=(1.0,)), ValueError,
         "compile: a parameter is listed twice"),
    case("step([1.0, 1e-300]) whose gradient overflows",
         _compiled_overflow, OverflowError, "backward: the gradient passed back from"),
    case("step([1.0], [2.0]) for a one-argument fn",
         lambda: autograd.compile(lambda x: _W * x, [_W], example=(1.0,))([1.0], [2.0]),
         TypeError, "step takes 1 columns"),
]
_W = Value(0.5, label="w")
_OUTSIDE = _W * 2.0


class UsageError(Exception):
    """The command line exited with status 2; the message is the line it printed on stderr."""


def _cli(*argv: str) -> None:
    """Run the command line in-process; exit status 2 becomes a UsageError with its line."""
    import contextlib
    import io
    from autograd.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(list(argv), prog="teachgrad")
        except SystemExit as stop:
            code = stop.code
    if code:
        assert code == 2, code
        raise UsageError(err.getvalue().strip().splitlines()[-1])


# The command line (`teachgrad ...`; the `sheet` commands have their own section): a usage
# error exits with status 2 and one line on stderr, shown here as a UsageError.
def cli_case(command: str, phrase: str) -> Case:
    """A case of the command line written as typed: `teachgrad ARGS` (split like a shell)."""
    argv = shlex.split(command)[1:]
    return case(command, lambda: _cli(*argv), UsageError, phrase)


CLI_CASES = [
    cli_case("teachgrad examples run", "the following arguments are required: name"),
    cli_case("teachgrad examples run nope", "no worked example named 'nope'"),
    cli_case("teachgrad examples run seed002 --precision 0", "--precision must be from 1 to 17"),
    cli_case("teachgrad examples run seed002 --stage nope", "has no stage 'nope'"),
    cli_case("teachgrad examples run seed002 --format xml", "invalid choice: 'xml'"),
    cli_case("teachgrad examples run seed002 --out /dev/null/x", "cannot write to '/dev/null/x'"),
    cli_case("teachgrad demo extra", "unrecognized arguments: extra"),
]

# Worksheets and grading (autograd.sheets, autograd.grading): sheet and answers files, the
# formula language, printed numbers, batches and rosters.
_NEURON = ('[inputs]\nx = 1.0\n[params]\nw = 2.0\n[nodes]\nf = "sigmoid(w*x)"\n'
           '[ask]\nvalues = ["f"]\ngrads = ["w"]\n')


from autograd.grading import NumberError  # noqa: E402 - the sheets section's error types
from autograd.sheets import SheetError  # noqa: E402


def _sheet():
    from autograd import sheets
    return sheets.loads(_NEURON, "neuron.toml")


def _sheets():
    from autograd import sheets
    return sheets


def _grading():
    from autograd import grading
    return grading


SHEETS_CASES = [
    case("sheets.loads(... f = \"x^2\" ...)",
         lambda: _sheets().loads(_NEURON.replace("sigmoid(w*x)", "x^2"), "s.toml"),
         SheetError, "s.toml, line 6, node 'f': `^` is not a power: write `e**2`"),
    case("sheets.loads(... [grading] bonus = 1 ...)",
         lambda: _sheets().loads(_NEURON + "[grading]\nbonus = 1\n", "s.toml"), SheetError,
         "s.toml, line 11: unknown key(s) in [grading]: bonus"),
    case("sheets.loads(... [grading] points = { h = 2 } ...)",
         lambda: _sheets().loads(_NEURON + "[grading]\npoints = { h = 2 }\n", "s.toml"),
         SheetError, "[grading] points: 'h' is not an asked quantity"),
    case("sheets.loads(... w = { min = 0, max = 0, step = 1, exclude = [0] } ...)",
         lambda: _sheets().loads(_NEURON.replace("w = 2.0", "w = { min = 0, max = 0, step = 1, "
                                                 "exclude = [0] }"), "s.toml"),
         SheetError, "s.toml, line 4, node 'w': the range excludes every value it has"),
    case("sheets.loads(... x = 1e-200, f = \"1/x\" ...).problem()",
         lambda: _sheets().loads(_NEURON.replace("1.0", "1e-200").replace("sigmoid(w*x)", "w/x"),
                                 "s.toml").problem(), SheetError, "s.toml, line 6, node 'f': div("),
    case("sheets.load('big.toml')  # 5 MB", lambda: _sheets().load(_sparse("big.toml", 5_000_000)),
         SheetError, "big.toml: cannot read the sheet: 5000000 bytes, more than the 1000000"),
    case("sheets.load_answers('/dev/zero')", lambda: _sheets().load_answers("/dev/zero"),
         SheetError, "/dev/zero: cannot read the answers: not a regular file"),
    case("sheets.loads_answers('[values]\\nf = \"1e400\"')",
         lambda: _sheets().loads_answers('[values]\nf = "1e400"\n', "a.toml"), SheetError,
         "a.toml, line 2, node 'f': number out of range for a float: '1e400'"),
    case("sheets.loads_answers('[values]\\nf = \"1,5\"')",
         lambda: _sheets().loads_answers('[values]\nf = "1,5"\n', "a.toml"), SheetError,
         "a.toml, line 2, node 'f': not a printed number: '1,5'"),
    case("sheets.grade(sheet, loads_answers('[values]\\nh = \"1\"'))",
         lambda: _sheets().grade(_sheet(), _sheets().loads_answers('[values]\nh = "1"\n', "a.toml")),
         SheetError, "a.toml, line 2, node 'h': the sheet has no quantity 'h'"),
    case("sheets.grade(sheet, 'answers.toml')", lambda: _sheets().grade(_sheet(), "answers.toml"),
         TypeError, "grade(sheet, answers): needs a Sheet and an Answers, got Sheet and str"),
    case("sheets.grade_files(sheet, 'a.toml')", lambda: _sheets().grade_files(_sheet(), "a.toml"),
         TypeError, "sheets.grade_files: needs a list of answers file paths, got str"),
    case("sheets.read_roster('r.csv')  # no id column",
         lambda: _sheets().read_roster(_file("r.csv", b"name,email\nada,a@x\n")), SheetError,
         "r.csv: a roster needs a header row naming at least name and id"),
    case("sheets.evaluate('x', 3)", lambda: _sheets().evaluate("x", 3), TypeError,
         "evaluate: numbers must be a mapping name -> number, got int"),
    case("sheets.write_key(problem, 'docx')",
         lambda: _sheets().write_key(_sheet().problem(), "docx"), ValueError,
         "format must be one of md, tex, html, got 'docx'"),
    case("grading.parse_number('1' * 401)", lambda: _grading().parse_number("1" * 401), NumberError,
         "number too long (401 characters; at most 60)"),
    case("grading.verdict('e^2', 7.389, 4)", lambda: _grading().verdict("e^2", 7.389, 4), NumberError,
         "`^` is not a power: write `e**2`"),
    case("check(y, {'y': '1e999'})", lambda: check(_y(), {"y": "1e999"}), ValueError,
         "check: expected value of 'y': number out of range for a float: '1e999'"),
    case("draw(y, blank='values')", lambda: autograd.draw(_y(), blank="values"), ValueError,
         "blank must be None or 'grad' (empty gradient boxes), got 'values'"),
    case("sheets.write_key(problem, 'html', paper='a3')",
         lambda: _sheets().write_key(_sheet().problem(), "html", paper="a3"), ValueError,
         "paper must be one of a4, letter, got 'a3'"),
    case("sheets.loads_answers('code = \"V7-8\"', 'a.toml')",
         lambda: _sheets().loads_answers('code = "V7-8"\n', "a.toml"), SheetError,
         "a.toml, line 1: variant code 'V7-8' does not check out: miscopied?"),
    case("write_autograder('s.toml', 'ag.zip', visibility='public')",
         lambda: __import__("autograd.sheets.gradescope", fromlist=["x"]).write_autograder(
             _file("s.toml", _NEURON.encode()), "ag.zip", visibility="public"), SheetError,
         "visibility must be one of visible, hidden, after_due_date, after_published, got 'public'"),
]
