"""The step-by-step backward: one frame per node in backward order, simulated grads, HTML page."""
import re
from html.parser import HTMLParser

import pytest

from autograd import Value, maximum, topological_order
from autograd.diagram import BackwardStepper, ENV_VAR, GraphTooLarge, step_backward
from autograd.diagram.stepper import simulate_backward
from autograd.diagram.style import CURRENT_STYLE, PENDING_STYLE

VOID = {"meta", "input", "br", "img", "link", "hr", "path", "polygon", "ellipse", "polyline"}


class Checker(HTMLParser):
    """Checks that every non-void tag is closed in order, and counts frames and scripts."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.frames, self.scripts, self.buttons = [], [], 0, [], 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "tg-frame" in (attrs.get("class") or ""):
            self.frames += 1
        if tag == "script":
            self._in_script = True
            if "src" in attrs:
                self.errors.append("external script")
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


def test_one_frame_per_node_in_backward_order_with_the_current_node_highlighted():
    root, a, b = graph()
    order = topological_order(root)
    stepper = step_backward(root)
    assert isinstance(stepper, BackwardStepper) and len(stepper.frames) == len(order) == 6
    for k, node in enumerate(reversed(order)):
        lines = [l for l in stepper.frames[k].source.splitlines() if l.startswith("\tv")
                 and "->" not in l]
        current = [l for l in lines if f'color="{CURRENT_STYLE["color"]}"' in l]
        assert len(current) == 1 and current[0].startswith(f"\tv{order.index(node)} ")
        pending = [l for l in lines if PENDING_STYLE["fontcolor"] in l]
        assert len(pending) == len(order) - 1 - k  # every node not reached yet is greyed
    assert stepper.captions[0] == "step 1/6: L has grad 1.0, passes it to 2 input edge(s)"


def test_frames_show_simulated_grads_without_touching_the_users_graph():
    root, a, b = graph()
    stepper = step_backward(root, grad=2.0)
    assert all(n.grad == 0.0 for n in topological_order(root))  # nothing was mutated
    # the last frame shows what backward(2.0) computes. d = max(ab, a) = a (-6 < 2), so
    # L = a*a + a: dL/da = 2a + 1 = 5, and b gets nothing (max sent 0·g to ab)
    root.backward(2.0)
    final = stepper.frames[-1].source
    for node in (a, b, root):
        assert f"grad {node.grad:.1f}" in final
    assert (a.grad, b.grad) == (2.0 * 5.0, 0.0)


def test_accumulation_over_several_uses_is_shown_as_partial_grads():
    root, a, b = graph()
    order = topological_order(root)
    steps = list(simulate_backward(order, root))
    after_first = steps[0][1]  # L = (d*a) + a: a has received 1.0 from the + so far
    assert after_first[a] == pytest.approx(1.0, abs=0)
    assert "{a | data 2.0 | grad so far 1.0}" in step_backward(root).frames[0].source
    assert "grad ?" in step_backward(root).frames[0].source  # b: nothing reached it yet
    assert steps[-1][1][a] == pytest.approx(5.0, abs=1e-12)


def test_html_page_is_valid_self_contained_and_has_one_frame_per_step(tmp_path):
    root, _, _ = graph()
    stepper = step_backward(root, title="L = max(ab, a)·a + a")
    path = stepper.save(tmp_path / "steps.html")
    text = path.read_text(encoding="utf-8")
    checker = Checker()
    checker.feed(text)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert checker.frames == len(stepper.frames) == 6
    assert checker.buttons == 2 and 'type="range"' in text and 'max="5"' in text
    assert "http://" not in "".join(checker.scripts) and "https://" not in "".join(checker.scripts)
    assert text.count("<svg") == 6 and "<?xml" not in text
    assert len(set(re.findall(r'id="([^"]+)"', text))) == text.count(' id="')


def test_jupyter_html_is_the_player_or_the_reason_it_cannot_render(tmp_path, monkeypatch):
    root, _, _ = graph()
    stepper = step_backward(root)
    monkeypatch.delenv(ENV_VAR, raising=False)
    fragment = stepper._repr_html_()
    assert fragment.count('class="tg-frame"') == 6 and "<script>" in fragment
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing-dot"))
    shown = stepper._repr_html_()
    assert shown.startswith("<pre") and "Cannot render this diagram" in shown and "digraph" in shown


def test_stepper_guards_and_option_errors():
    x = Value(1.0)
    big = x
    for _ in range(30):
        big = big * 1.0001  # 61 Values > the stepper's default limit of 60
    with pytest.raises(GraphTooLarge, match="61 nodes.*max_nodes=60"):
        step_backward(big)
    assert len(step_backward(big, max_nodes=61).frames) == 61
    with pytest.raises(ValueError, match="view='backward' or 'both'"):
        step_backward(x * 2.0, view="forward")
    with pytest.raises(ValueError, match="collapse= is not supported"):
        step_backward(x * 2.0, collapse=2)
