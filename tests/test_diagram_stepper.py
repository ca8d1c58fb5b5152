"""The step-by-step backward: one frame record per step, simulated grads, ONE shared layout."""
import json
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
from autograd.diagram.style import CURRENT_STYLE, PENDING_STYLE, gets_gradient

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
    with pytest.raises(ValueError, match="collapse= is not supported"):
        step_backward(x * 2.0, collapse=2)
    with pytest.raises(ValueError, match="finite number, got nan"):
        step_backward(x * 2.0, grad=float("nan"))
    with pytest.raises(TypeError, match="must be a number, got str: '1'"):
        step_backward(x * 2.0, grad="1")
    with pytest.raises(ValueError, match="edge_labels must be"):
        step_backward(x * 2.0, edge_labels="above")
