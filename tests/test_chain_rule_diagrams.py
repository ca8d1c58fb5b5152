"""Pictures of the chain rule two ways: `draw(root, explain=wrt)` colours the paths from wrt to
root (and lists their products), `draw(root, view="tangent", seed={x: 1.0})` draws forward mode.
Both are rendered and must pass the SVG readability checks of tests/svg_geometry.py (no edge
text on a node or an arrowhead)."""
import re
import sys
from pathlib import Path

import pytest

import nn
from autograd import Value, jvp, topological_order
from autograd.diagram import draw, save, step_backward
from autograd.diagram.highlight import FADED, PALETTE
from autograd.examples import seed002_net221_sgd

sys.path.insert(0, str(Path(__file__).parent))
import svg_geometry  # noqa: E402  (a helper module next to the tests)


def lecture_reuse():
    """The lecture's reuse example: a feeds both d = a*b and e = a + b, f = d*e."""
    a, b = Value(-2.0, label="a"), Value(3.0, label="b")
    d, e = (a * b).named("d"), (a + b).named("e")
    f = (d * e).named("f")
    f.backward()
    return a, b, f


def stroke_widths(svg, colour):
    return [float(w) for w in re.findall(rf'stroke="{colour}" stroke-width="([\d.]+)"', svg)]


def test_reuse_draws_two_coloured_paths_widths_by_share_and_the_sum(tmp_path):
    a, b, f = lecture_reuse()
    dg = draw(f, explain=a)
    source = dg.source
    # the edge f's op -> f carries both paths: two parallel lines, one per colour
    assert f'color="{PALETTE[0]}:{PALETTE[1]}"' in source
    assert "∂f/∂d · ∂d/∂a = 1.0 × 3.0 = <b>3.0</b>" in source
    assert "∂f/∂e · ∂e/∂a = -6.0 × 1.0 = <b>-6.0</b>" in source
    assert "∂f/∂a = sum over 2 paths = -3.0 (math.fsum)" in source and a.grad == -3.0
    assert f'color="{FADED}"' in source  # b's edges are on no path
    svg = save(dg, tmp_path / "reuse.svg").read_text()
    assert svg_geometry.label_collisions(svg) == []
    blue, red = stroke_widths(svg, PALETTE[0]), stroke_widths(svg, PALETTE[1])
    # path a -> e carries 6 of the 9 units of |gradient|, path a -> d 3: wider by share; the
    # edge both share carries all of it
    assert min(red) == pytest.approx(1.2 + 3.3 * 6 / 9, abs=0.01)
    assert min(blue) == pytest.approx(1.2 + 3.3 * 3 / 9, abs=0.01)
    assert max(red) == max(blue) == 4.5


def test_seed002_w1_21_path_is_highlighted_and_readable(tmp_path):
    stage = seed002_net221_sgd.build().stages[0]
    stage.run()
    w = next(n for n in topological_order(stage.root) if n.label == "W1_21")
    dg = draw(stage.root, params=stage.params, explain=w)
    assert ("∂L/∂yhat · ∂yhat/∂z2 · ∂z2/∂a1_2 · ∂a1_2/∂z1_2 · ∂z1_2/∂W1_21 = "
            "0.7414 × 0.1868 × 0.45 × 0.2406 × 0.05 = <b>0.0007498</b>") in dg.source
    # 11 input edges on the path plus the op -> record edge of each of the 11 ops
    assert len(re.findall(rf'[ \[]color="{PALETTE[0]}"', dg.source)) == 22  # not the swatch
    svg = save(dg, tmp_path / "seed002.svg").read_text()
    assert svg_geometry.label_collisions(svg) == []


def test_more_paths_than_colours_are_grouped_in_the_picture(tmp_path):
    model = nn.MLP(2, [4, 4, 1], activation="tanh", seed=1)
    x0 = Value(0.5, label="x0")
    out = model([x0, Value(-1.0, requires_grad=False)]).named("out")
    out.backward()
    dg = draw(out, explain=x0, params=model)  # 16 paths: 4 groups of 4 through layer 1's units
    assert dg.source.count("4 paths through layers.1.neurons.") == 4
    assert "∂out/∂x0 = sum over 16 paths, in 4 groups" in dg.source
    svg = save(dg, tmp_path / "groups.svg").read_text()
    assert svg_geometry.label_collisions(svg) == []


def test_tangent_view_is_the_forward_mirror_of_backward(tmp_path):
    a, b, f = lecture_reuse()
    dg = draw(f, view="tangent", seed={a: 1.0})
    source = dg.source
    assert "ṫ 1.0 (seed)" in source and "ṫ -3.0" in source  # df/da, as jvp and backward say
    assert jvp(lambda a, b: (a * b) * (a + b), [-2.0, 3.0], [1.0, 0.0])[1] == -3.0 == a.grad
    for text in ("b·ṫ = 3.0 × 1.0 = 3.0", "1·ṫ = 1.0", "e·ṫ = 1.0 × 3.0 = 3.0",
                 "d·ṫ = -6.0 × 1.0 = -6.0"):
        assert text in source
    assert "a·ṫ" not in source  # b's tangent is 0: nothing flows along its edges
    svg = save(dg, tmp_path / "tangent.svg").read_text()
    assert svg_geometry.label_collisions(svg) == []


def test_explain_and_tangent_options_are_checked():
    a, b, f = lecture_reuse()
    with pytest.raises(ValueError, match="seed= goes with view='tangent'"):
        draw(f, seed={a: 1.0})
    with pytest.raises(ValueError, match="seed= goes with view='tangent'"):
        draw(f, view="tangent")
    with pytest.raises(TypeError, match="seed keys must be Values"):
        draw(f, view="tangent", seed={"a": 1.0})
    with pytest.raises(ValueError, match="the seed 'lonely' is not in this graph"):
        draw(f, view="tangent", seed={Value(1.0, label="lonely"): 1.0})
    with pytest.raises(TypeError, match="draw\\(explain=...\\) needs a Value"):
        draw(f, explain="a")
    with pytest.raises(ValueError, match="cannot be combined with collapse="):
        draw(f, explain=a, collapse=1)
    with pytest.raises(ValueError, match="view must be one of"):
        draw(f, view="sideways")
    odd = Value(1.0, label='<i>&"')
    g = (odd * 2).named("g")
    g.backward()
    assert "&lt;i&gt;&amp;" in draw(g, explain=odd).source


def test_step_backward_explain_adds_a_last_frame_assembling_the_sum():
    from autograd.diagram.html import player_data
    a, b, f = lecture_reuse()
    plain = step_backward(f)
    s = step_backward(f, explain=a)
    # the steps, the summary of every parameter's gradient, then the sum over paths
    assert len(s) == len(plain) + 1 and s.panel[:-1] == plain.panel
    assert s.panel[-1] == ["step 6 of 6: dL/da as a sum over paths", "2 paths lead from a to f",
                           "path 1: ∂f/∂d · ∂d/∂a = 1.0 × 3.0 = 3.0", "    sum so far = 3.0",
                           "path 2: ∂f/∂e · ∂e/∂a = -6.0 × 1.0 = -6.0", "    sum so far = -3.0",
                           "sum = -3.0; backward gave dL/da = -3.0"]
    assert s.captions[-1].endswith("the sum over its 2 paths to f: -3.0")
    data = s.data  # what the page embeds
    assert data["step"] == player_data(plain.frames)["step"]  # one entry per node, unchanged
    assert len(data["caps"]) == len(data["dt"]) == len(data["panel"]) == 7 and data["dt"][-1] == []
    assert all(state == "done" for state in s.frames[-1].states)
    assert "sum so far = -3.0" in s.html()
    with pytest.raises(ValueError, match="'lonely' is not in this graph"):
        step_backward(f, explain=Value(1.0, label="lonely"))
