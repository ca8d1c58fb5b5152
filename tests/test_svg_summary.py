"""Stored notebook diagrams are compared by structure and text (notebooks/svg_summary.py), so a
notebook stored with the `graphviz-pure` wheel passes where a system `dot` renders, and back.

The two renderers are run on the same diagrams here: their SVGs differ (coordinates, header)
but their summaries are equal. A system `dot` is REQUIRED in CI (`.ci/run` installs Debian's
graphviz); elsewhere that comparison is skipped with the install hint.
"""
from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, vsum
from autograd.diagram import draw, step_backward
from autograd.diagram.renderer import render_source

ROOT = Path(__file__).resolve().parent.parent


def _module():
    spec = importlib.util.spec_from_file_location("svg_summary",
                                                  ROOT / "notebooks" / "svg_summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUMMARY = _module()


def _neuron():
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2, b = Value(-0.5, label="w1"), Value(0.75, label="w2"), Value(0.5, label="b")
    y = vsum([w1 * x1, w2 * x2, b]).named("z").tanh().named("y")
    y.backward()
    return y, [x1, x2]


def _renderers() -> dict[str, str]:
    """The wheel's renderer and the system dot (skip, or fail in CI, without one)."""
    system = shutil.which("dot")
    if system is None:
        reason = "no system dot on PATH (apt-get install graphviz / brew install graphviz)"
        if os.environ.get("CI"):
            pytest.fail(f"the renderer comparison must run in CI: {reason}")
        pytest.skip(reason)
    wheel = Path(sysconfig.get_path("scripts")) / "graphviz-pure"
    if not wheel.exists():
        wheel = Path(shutil.which("graphviz-pure") or "graphviz-pure")
    return {"wheel": str(wheel), "system": system}


@pytest.mark.parametrize("view", ["forward", "backward"])
def test_both_renderers_give_the_same_summary(view, monkeypatch):
    y, inputs = _neuron()
    source = draw(y, view=view, inputs=inputs).source
    svgs = {}
    for name, binary in _renderers().items():
        monkeypatch.setenv("TEACHGRAD_DOT", binary)
        svgs[name] = render_source(source, "svg").decode("utf-8")
    assert svgs["wheel"] != svgs["system"]  # the raw SVGs do differ (that was the bug)
    wheel, system = (SUMMARY.summarize_svgs(svgs[k]) for k in ("wheel", "system"))
    assert wheel == system
    assert wheel.startswith("[svg: ") and ("0.2804" in wheel or view == "forward")


def test_the_step_player_s_html_summarizes_equal_under_both_renderers(monkeypatch):
    y, inputs = _neuron()
    pages = []
    for binary in _renderers().values():
        monkeypatch.setenv("TEACHGRAD_DOT", binary)
        page = SUMMARY.summarize_svgs(step_backward(y, inputs=inputs)._repr_html_())
        pages.append(re.sub(r"tg-[0-9a-f]{8}-\d+", "tg-ID", page))  # a player counter per process
    assert pages[0] == pages[1] and "<svg" not in pages[0] and "tg-stepper" in pages[0]


def test_the_summary_sees_what_a_reader_sees():
    y, inputs = _neuron()
    svg = draw(y, view="backward", inputs=inputs).pipe("svg", encoding="utf-8")
    summary = SUMMARY.summarize_svg(svg)
    # 5 leaves + 2 products + z + y value nodes, and their op nodes: 9 + 4 = 13 drawn nodes
    assert summary.startswith("[svg: 13 nodes, 12 edges, 0 clusters | ")
    assert "grad0.2804" in summary and "data-1.25" in summary
    changed = svg.replace("grad 0.2804", "grad 0.2805", 1)
    assert SUMMARY.summarize_svg(changed) != summary  # a changed number is a difference
    moved = svg.replace('x="', 'x="1', 1)
    assert SUMMARY.summarize_svg(moved) == summary  # a moved text is not


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(st.lists(_TEXT, max_size=6), st.text(max_size=30).filter(lambda s: "<svg" not in s))
def test_texts_are_kept_in_order_and_other_text_untouched(texts, around):
    svg = "<svg>" + "".join(f'<g class="node"><text x="1">{html.escape(t)}</text></g>'
                            for t in texts) + "</svg>"
    summary = SUMMARY.summarize_svgs(around + svg + around)
    expected = " | ".join("".join(t.split()) for t in texts)  # whitespace is the renderer's
    assert summary == f"{around}[svg: {len(texts)} nodes, 0 edges, 0 clusters | {expected}]{around}"
    assert SUMMARY.summarize_svgs(around) == around
