"""The step-by-step backward: one frame record per step, simulated grads, ONE shared layout."""
import json
import math
import re
from html.parser import HTMLParser

import pytest

from autograd import Value, maximum, topological_order
from autograd.backward import backward
from autograd.diagram import BackwardStepper, ENV_VAR, GraphTooLarge, RenderError, step_backward
from autograd.diagram.frames import Frame
from autograd.diagram.html import player_data
from autograd.diagram.step_layout import mark_svg
from autograd.diagram import UnreadableDiagramWarning
from autograd.diagram.html import script_json
from autograd.diagram.step_units import DETAIL
from autograd.diagram.style import CURRENT_STYLE, PENDING_STYLE, format_number, gets_gradient
from autograd.misconceptions import CODES

VOID = {"meta", "input", "br", "img", "link", "hr", "path", "polygon", "ellipse", "polyline"}


class Checker(HTMLParser):
    """Checks that every non-void tag is closed in order; collects scripts and resource links."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.scripts, self.buttons = [], [], [], 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = True
        for name in ("src", "href", "xlink:href"):
            if name in attrs:
                self.errors.append(f"<{tag} {name}=...>: a resource link")
        self.buttons += tag == "button"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = (a * b).named("c")
    d = maximum(c, a).named("d")   # -6 vs 2: max routes to a
    return (d * a + a).named("L"), a, b  # a used three times


def mlp_like(width=6):
    """A graph with long-range edges and reuse: tanh neurons over two shared inputs."""
    x = [Value(0.5, label="x0"), Value(-1.5, label="x1")]
    hidden = [(x[0] * (0.3 * k - 0.7) + x[1] * (0.2 - 0.1 * k) + 0.1 * k).tanh()
              for k in range(width)]
    out = hidden[0] * 0.5
    for k, h in enumerate(hidden[1:]):
        out = out + h * (0.25 - 0.1 * k)
    return ((out - 1.0) ** 2).named("loss")


def test_one_frame_per_step_in_backward_order_with_exact_partial_sums():
    root, a, b = graph()
    order = topological_order(root)
    stepper = step_backward(root)
    assert isinstance(stepper, BackwardStepper) and len(stepper) == len(order) == 6
    assert all(isinstance(f, Frame) for f in stepper.frames)
    assert [f.node for f in stepper.frames] == list(reversed(order))
    assert [f.step for f in stepper.frames] == list(range(6))
    ia, ib = order.index(a), order.index(b)
    # L = (d*a) + a: step 1 gives a 1.0; step 2 (d*a) gives a d = 2.0 more; step 3 (max) gives
    # a 1·2.0; step 4 (c = a*b, grad 0) gives a b·0 = 0. b is reached only at step 4.
    expected_a = ["grad so far 1.0", "grad so far 3.0", "grad so far 5.0", "grad so far 5.0",
                  "grad so far 5.0", "grad 5.0"]
    expected_b = ["grad ?", "grad ?", "grad ?", "grad so far 0.0", "grad 0.0", "grad 0.0"]
    assert [f.grad_texts[ia] for f in stepper.frames] == expected_a
    assert [f.grad_texts[ib] for f in stepper.frames] == expected_b
    assert [f.grads[ia] for f in stepper.frames] == pytest.approx([1, 3, 5, 5, 5, 5], abs=1e-12)
    for k, frame in enumerate(stepper.frames):
        assert frame.states.count("current") == 1 and frame.states[frame.current] == "current"
        assert frame.states.count("pending") == len(order) - 1 - k
    assert stepper.captions[0] == "step 1 of 6: L, dL/dL = 1.0"
    assert stepper.captions[-1] == stepper.panel[-1][0] == "summary: the gradient of every parameter (2)"
    assert stepper.panel[-1][1:] == ["dL/da = 5.0", "dL/db = 0.0"]
    assert [page[0] for page in stepper.panel] == stepper.captions  # caption = panel heading


def test_every_frame_matches_the_engines_backward_done_and_partial():
    root = mlp_like()
    order = topological_order(root)
    stepper = step_backward(root, grad=2.0)
    assert all(n.grad == 0.0 for n in order)  # building the stepper mutated nothing
    backward(root, 2.0)
    true = {n: n.grad for n in order}
    for frame in stepper.frames:
        processed = set(order[frame.current:])
        for i, node in enumerate(order):
            if not gets_gradient(node):
                assert node.grad == 0.0  # a constant keeps grad 0.0 (not accumulated)
                continue
            if node in processed:  # done or current: its grad is final
                assert frame.grads[i] == pytest.approx(true[node], rel=1e-12, abs=1e-12)
                continue
            # pending: exactly what the processed children have passed back so far
            parts = [local * true[child] for child in processed
                     for parent, local in zip(child.parents, child.local) if parent is node]
            assert (frame.grads[i] is None) == (not parts)
            if parts:
                assert frame.grads[i] == pytest.approx(sum(parts), rel=1e-12, abs=1e-12)


def test_player_data_replays_every_frames_texts_and_states():
    root = mlp_like(4)
    stepper = step_backward(root)
    data = stepper.data
    texts = list(data["t0"])
    for k, frame in enumerate(stepper.frames):  # the page script's replay, done in Python
        pairs = data["dt"][k]
        for m in range(0, len(pairs), 2):
            texts[pairs[m]] = pairs[m + 1]
        shown = [i for i, node in enumerate(stepper.order) if gets_gradient(node)]
        assert [texts[i] for i in shown] == [frame.grad_texts[i] for i in shown]  # grad fields
        states = ["done" if s < k or (s == k and fold) else "current" if s == k else "pending"
                  for s, fold in zip(data["step"], data["fold"])]
        for i, node in enumerate(stepper.order):
            if gets_gradient(node):
                assert states[i] == frame.states[i]
            else:  # a constant is done once its last consumer has passed its gradient on
                consumers = [f.step for f in stepper.frames if node in f.node.parents]
                assert states[i] == ("done" if max(consumers) <= k else "pending")
    assert data["caps"] == stepper.captions and len(data["dt"]) == len(stepper.frames) + 1
    assert data["near"][1][0] == stepper.frames[1].current  # the step's box: node, then inputs
    assert player_data(stepper.frames)["caps"] == [f.caption for f in stepper.frames]
    assert sum(len(d) for d in data["dt"]) < 4 * len(stepper.frames) ** 2 / 10  # deltas, not copies


def test_one_layout_with_stable_ids_and_grad_fields_at_their_widest():
    root, a, _ = graph()
    order = topological_order(root)
    stepper = step_backward(root)
    source = stepper.diagram.source
    # a's field is laid out with its widest text, 'grad so far 1.0', wider than 'grad 5.0'
    assert "{a | data 2.0 | grad so far 1.0}" in source
    svg = stepper.svg()
    for i, node in enumerate(order):
        assert f'<g id="v{i}" class="node tgv tgn{i}">' in svg
        if not node.is_leaf:
            assert f'<g id="o{i}" class="node tgo tgn{i}">' in svg and f'<g id="r{i}"' in svg
            assert all(f'<g id="e{i}_{k}"' in svg for k in range(len(node.parents)))
    # the static picture shows the final grads: backward's own results
    backward(root)
    for i, node in enumerate(order):
        shown = re.search(rf'id="g{i}">([^<]*)</text>', svg).group(1)
        assert shown.replace("&#45;", "-") == f"grad {node.grad:.1f}"


def test_the_layout_is_rendered_once_however_many_frames_and_saves(tmp_path, monkeypatch):
    calls = []
    real = type(step_backward(Value(1.0)).diagram).pipe

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(type(step_backward(Value(1.0)).diagram), "pipe", counting)
    stepper = step_backward(mlp_like(), view="both")
    stepper.save(tmp_path / "one.html")
    stepper.save(tmp_path / "two.html")
    stepper._repr_html_()
    assert len(calls) == 1 and len(stepper.frames) > 40


def test_html_page_is_valid_self_contained_and_embeds_the_svg_once(tmp_path):
    root, _, _ = graph()
    stepper = step_backward(root, title="L = max(ab, a)·a + a")
    path = stepper.save(tmp_path / "steps.html")
    assert path == tmp_path / "steps.html"
    text = path.read_text(encoding="utf-8")
    checker = Checker()
    checker.feed(text)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert text.count("<svg") == 1 and "<?xml" not in text and "<!DOCTYPE svg" not in text
    assert checker.buttons == 3 and 'type="range"' in text and 'max="6"' in text
    script = "".join(checker.scripts)
    data = json.loads(re.search(r"D = (\{.*?\}), n =", script).group(1))
    assert len(data["caps"]) == len(stepper.frames) + 1 == 7  # every step, then the summary
    # no network: the only URLs are the SVG namespace names (xmlns), never fetched
    urls = set(re.findall(r'[\w:]*="?(https?://[^"\s]*)', text))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "url(" not in text and "@import" not in text
    assert len(set(re.findall(r' id="([^"]+)"', text))) == text.count(' id="')
    assert "<title>L = max(ab, a)·a + a</title>" in text


def test_jupyter_html_is_the_player_or_the_reason_it_cannot_render(tmp_path, monkeypatch):
    root, _, _ = graph()
    monkeypatch.delenv(ENV_VAR, raising=False)
    first, second = step_backward(root)._repr_html_(), step_backward(root)._repr_html_()
    assert first.count("<svg") == 1 and "<script>" in first and 'class="tg-stepper"' in first
    uid = re.search(r'<div id="([^"]+)" class="tg-stepper"', first).group(1)
    assert uid not in second  # two players in one notebook do not share element ids
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing-dot"))
    shown = step_backward(root)._repr_html_()
    assert shown.startswith("<pre") and "Cannot render this diagram" in shown and "digraph" in shown


def test_frame_digraph_draws_one_frame_standalone():
    root, a, b = graph()
    order = topological_order(root)
    stepper = step_backward(root)
    for k, node in enumerate(reversed(order)):
        lines = [l for l in stepper.frame_digraph(k).source.splitlines()
                 if l.startswith("\tv") and "->" not in l]
        current = [l for l in lines if f'color="{CURRENT_STYLE["color"]}"' in l]
        assert len(current) == 1 and current[0].startswith(f"\tv{order.index(node)} ")
        assert len([l for l in lines if PENDING_STYLE["fontcolor"] in l]) == len(order) - 1 - k
        for i, text in enumerate(stepper.frames[k].grad_texts):  # same texts as the player
            assert f"| {text}}}" in lines[i]


def test_user_graph_untouched_after_backward_too():
    root, a, b = graph()
    backward(root)
    before = [(n.data, n.grad, n.label) for n in topological_order(root)]
    step_backward(root).svg()
    assert [(n.data, n.grad, n.label) for n in topological_order(root)] == before


def test_mark_svg_refuses_an_svg_without_the_grad_field():
    svg = '<g id="v0" class="node tgv tgn0"><text x="1">data 2.0</text></g>'
    with pytest.raises(RenderError, match="cannot find the grad field 'grad 5.0' of node v0"):
        mark_svg(svg, ["grad 5.0"], ["grad 5.0"])
    marked = mark_svg(svg.replace("data 2.0", "grad so far 1.0"), ["grad so far 1.0"],
                      ["grad 5.0"])
    assert marked == '<g id="v0" class="node tgv tgn0"><text x="1" id="g0">grad 5.0</text></g>'


def test_stepper_guards_and_option_errors():
    x = Value(1.0)
    big = x
    for _ in range(500):
        big = big * 1.0001  # 1001 Values > the stepper's default limit of 1000
    with pytest.raises(GraphTooLarge, match="1001 nodes.*max_nodes=1000"):
        step_backward(big)
    with pytest.warns(UnreadableDiagramWarning, match="501 steps over a diagram of 1001 nodes"):
        # the 500 constants 1.0001 have no step of their own
        assert len(step_backward(big, max_nodes=1001).frames) == 501
    assert len(step_backward(x).frames) == 1  # a lone leaf: one step
    with pytest.raises(ValueError, match="view='backward' or 'both'"):
        step_backward(x * 2.0, view="forward")
    with pytest.raises(ValueError, match="practice mode asks for every scalar gradient"):
        step_backward(x * 2.0, collapse=2, practice=True)
    with pytest.raises(TypeError, match="practice must be True or False, got str"):
        step_backward(x * 2.0, practice="yes")
    with pytest.raises(ValueError, match="pass practice=True with it"):
        step_backward(x * 2.0, ask=[x])
    with pytest.raises(ValueError, match="ask= holds 1 Value"):
        step_backward(x * 2.0, practice=True, ask=[Value(5.0)])
    with pytest.raises(ValueError, match="digits must be an int from 1 to 17"):
        step_backward(x * 2.0, practice=True, digits=0)
    with pytest.raises(ValueError, match="finite number, got nan"):
        step_backward(x * 2.0, grad=float("nan"))
    with pytest.raises(TypeError, match="must be a number, got str: '1'"):
        step_backward(x * 2.0, grad="1")
    with pytest.raises(ValueError, match="edge_labels must be"):
        step_backward(x * 2.0, edge_labels="above")


def labelled_net(width=3):
    """A 2-width-1 tanh net with dotted labels, as nn names parameters, and its loss."""
    x = [Value(0.5, label="x0", requires_grad=False), Value(-1.5, label="x1", requires_grad=False)]
    hidden = []
    for k in range(width):
        w = [Value(0.3 * k - 0.2 * i + 0.1, label=f"layers.0.neurons.{k}.w.{i}") for i in range(2)]
        b = Value(0.05 * k, label=f"layers.0.neurons.{k}.b")
        z = (w[0] * x[0] + w[1] * x[1] + b).named(f"layers.0.neurons.{k}.z")
        hidden.append(z.tanh().named(f"layers.0.neurons.{k}.a"))
    v = [Value(0.4 - 0.3 * k, label=f"layers.1.neurons.0.w.{k}") for k in range(width)]
    out = hidden[0] * v[0]
    for h, w in zip(hidden[1:], v[1:]):
        out = out + h * w
    out = out.named("layers.1.neurons.0.out")
    return ((out - 1.0) ** 2).named("loss"), x


def test_collapsed_stepper_steps_a_group_at_a_time_with_the_engines_gradients():
    loss, x = labelled_net()
    loss.backward()
    order = topological_order(loss)
    stepper = step_backward(loss, collapse=4, inputs=x)
    groups = [c.split(": ", 1)[1].split(" (")[0] for c in stepper.captions
              if "nodes, " in c]
    # the output neuron first, then the hidden ones (each after every consumer of its nodes)
    assert groups == ["layers.1.neurons.0", "layers.0.neurons.2", "layers.0.neurons.1",
                      "layers.0.neurons.0"]
    assert len(stepper.frames) == len(stepper.captions) - 1 < 12
    final = stepper.frames[-1].grads
    for i, node in enumerate(order):
        if gets_gradient(node):
            assert final[i] == pytest.approx(node.grad, rel=1e-12, abs=1e-15)
    # a group's page: its parameters' gradients, then its scalar steps folded (DETAIL lines)
    k = next(k for k, c in enumerate(stepper.captions) if "layers.0.neurons.1 (" in c)
    page = stepper.panel[k]
    w = next(n for n in order if n.label == "layers.0.neurons.1.w.0")
    assert f"dL/dw[0,1,0] = {format_number(w.grad)}" in page
    details = [line for line in page if line.startswith(DETAIL)]
    assert any(line.startswith(DETAIL + "w[0,1,0], dL/dw[0,1,0] = ") for line in details)
    # every node is processed after all its consumers: the box's members are done together
    steps = stepper.data["step"]
    for node in order:
        for parent in node.parents:
            if gets_gradient(parent):
                assert steps[order.index(parent)] >= steps[order.index(node)]
    svg = stepper.svg()
    assert svg.count('class="node tgv tgbox') == 4 and "frame_digraph" not in svg
    with pytest.raises(ValueError, match="not for a collapsed stepper"):
        stepper.frame_digraph(0)


def test_a_grouping_that_feeds_itself_in_a_cycle_is_refused():
    a = Value(1.0, label="a")
    b = (a * 2.0).named("b")
    c = (b * 3.0).named("c")
    d = (c * b).named("d")  # groups {a, c} and {b}: each needs the other done first
    with pytest.raises(ValueError, match="feed each other in a cycle"):
        step_backward(d, collapse=lambda n: {"a": "g1", "c": "g1", "b": "g2"}.get(n.label))


def test_practice_questions_are_the_engines_numbers_with_misconception_alternatives():
    root, a, b = graph()
    order = topological_order(root)
    stepper = step_backward(root, practice=True, digits=3)
    questions = stepper.questions
    assert len(questions) == len(stepper.frames)
    asked = [q["ask"] for page in questions for q in page]
    # a is used on 4 paths (a*b, max(c, a), d*a, + a): every path, then its total; b once
    assert asked.count("dL/db = ?") == 1
    assert [q for q in asked if q.startswith("dL/da")] == [
        f"dL/da += ? (path {k} of 4)" for k in range(1, 5)] + ["dL/da = ? (total of its 4 paths)"]
    backward(root)
    total = next(q for page in questions for q in page if q["ask"].startswith("dL/da = ?"))
    assert total["exact"] == pytest.approx(a.grad) and total["key"] == "5.00"
    alts = dict((code, [x for x, _ in numbers]) for code, numbers in total["alts"])
    assert -a.grad in alts["sign_flip"] and {1.0, 2.0} <= set(alts["missed_path"])
    for frame, page in zip(stepper.frames, questions):
        g = frame.grads[frame.current]
        for q in page:
            assert q["place"] == (None if q["exact"] == 0 else
                                  math.floor(math.log10(abs(q["exact"]))) - 3 + 1)
            if "total" in q["ask"]:
                continue
            codes = [code for code, _ in q["alts"]]
            assert codes == sorted(codes, key=CODES.index)  # the catalogue's order
            if q["exact"]:
                assert dict(q["alts"])["sign_flip"] == [[-q["exact"], q["place"]]]
            assert len(q["hints"]) == 2 and format_number(g) in q["hints"][1]
    data = stepper.data
    assert data["digits"] == 3 and set(data["codes"]) == set(CODES)
    html = stepper.html()
    final_panel = "\n".join(stepper.panel[-1])
    assert final_panel not in html  # no answer in the page's static text
    assert html.count("<script>") == 1 and "\\u003c" not in html.split("<script>")[0]


def test_practice_ask_limits_the_questions_to_totals_of_the_asked_values():
    root, a, b = graph()
    stepper = step_backward(root, practice=True, ask=[a])
    asked = [q["ask"] for page in stepper.questions for q in page]
    assert asked == ["dL/da = ? (total of its 4 paths)"]


def test_script_json_cannot_close_the_script():
    text = script_json({"caps": ["</script><script>alert(1)</script>", "<!--", "a & b"]})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"caps": ["</script><script>alert(1)</script>", "<!--", "a & b"]}


def test_constants_keep_grad_zero_and_fold_into_their_consumers_step():
    c = Value(3.0, label="c", requires_grad=False)
    x = Value(2.0, label="x")
    y = (c * x + c).named("y")
    y.backward()
    assert c.grad == 0.0 and x.grad == 3.0
    stepper = step_backward(y)
    assert c not in [f.node for f in stepper.frames]  # no step of its own
    i = topological_order(y).index(c)
    assert stepper.data["fold"][i] and stepper.data["step"][i] == len(stepper.frames) - 2
