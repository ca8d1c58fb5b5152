"""Rendering diagrams for real (SVG, PNG), renderer resolution, and the errors when it fails.

These tests run the renderer the project depends on (graphviz-pure, or Graphviz's dot when
installed); fake renderers are small shell scripts written to tmp_path.
"""
import os
import stat
import struct
import sysconfig
import xml.etree.ElementTree as ET

import graphviz
import pytest

from autograd import Value, vsum
from autograd.diagram import (ENV_VAR, RenderError, RendererNotFound, draw, find_renderer, save)
from autograd.diagram import renderer
from autograd.diagram.draw import UnreadableDiagramWarning
from autograd.diagram.style import format_number

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def no_explicit_renderer(monkeypatch):
    """Each test starts from the automatic resolution, whatever the caller's environment says."""
    monkeypatch.delenv(ENV_VAR, raising=False)


def seed_002_network():
    """Seed 002's two-layer sigmoid net: x = [0.05, 0.10], y = 0.01, L = 1/2 (yhat - y)^2."""
    x = [Value(0.05, label="x1", requires_grad=False), Value(0.10, label="x2", requires_grad=False)]
    w = [Value(v, label=f"w{i + 1}") for i, v in enumerate([0.15, 0.20, 0.25, 0.30, 0.40, 0.45])]
    b1, b2 = Value(0.35, label="b1"), Value(0.60, label="b2")
    h1 = (w[0] * x[0] + w[1] * x[1] + b1).sigmoid().named("h1")
    h2 = (w[2] * x[0] + w[3] * x[1] + b1).sigmoid().named("h2")
    yhat = (w[4] * h1 + w[5] * h2 + b2).sigmoid().named("yhat")
    loss = (0.5 * (yhat - 0.01) ** 2).named("L")
    loss.backward()
    return loss, w + [b1, b2]


def script(tmp_path, name, body):
    """An executable shell script standing in for a dot binary."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def svg_texts(path):
    root = ET.parse(path).getroot()
    assert root.tag == SVG_NS + "svg"
    return [t.text for t in root.iter(SVG_NS + "text") if t.text]


def test_seed_002_diagram_renders_to_svg_with_labels_values_and_edge_texts(tmp_path):
    loss, params = seed_002_network()
    out = save(draw(loss, params=params, legend=True), tmp_path / "seed002.svg")
    texts = svg_texts(out)
    for label in ("w1", "w6", "b1", "h1", "yhat", "L", "σ"):
        assert label in texts
    assert f"data {format_number(loss.data)}" in texts
    w5 = params[4]
    assert f"grad {format_number(w5.grad)}" in texts
    assert any(t.strip().startswith("h1·ḡ = ") for t in texts)  # w5 * h1: the edge from w5 passes h1·ḡ


def test_png_has_signature_and_sane_size_and_dpi_is_capped(tmp_path):
    loss, params = seed_002_network()
    dg = draw(loss, params=params)
    png = save(dg, tmp_path / "seed002.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert 300 <= width <= renderer.MAX_PNG_PIXELS and 50 <= height <= renderer.MAX_PNG_PIXELS
    capped = save(dg, tmp_path / "big.png", dpi=5000).read_bytes()
    at_max = save(dg, tmp_path / "max.png", dpi=renderer.MAX_DPI).read_bytes()
    assert struct.unpack(">II", capped[16:24]) == struct.unpack(">II", at_max[16:24])


def test_png_of_a_big_graph_is_refused_but_svg_works(tmp_path):
    x = Value(1.0)
    out = vsum([x * float(i) for i in range(140)])  # 282 Values + 141 op nodes > 400
    out.backward()
    with pytest.warns(UnreadableDiagramWarning, match="282 nodes.*collapse="):
        dg = draw(out)
    with pytest.raises(RenderError, match=r"refusing to render a PNG of 423 nodes.*\.svg"):
        save(dg, tmp_path / "big.png")
    assert (tmp_path / "big.png").exists() is False
    assert "data 1.0" in svg_texts(save(dg, tmp_path / "big.svg"))


def test_gv_needs_no_renderer_and_unknown_suffix_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-dot"))
    loss, _ = seed_002_network()
    dg = draw(loss)
    assert save(dg, tmp_path / "graph.gv").read_text(encoding="utf-8") == dg.source
    with pytest.raises(ValueError, match="cannot tell the format.*graph.jpg"):
        save(dg, tmp_path / "graph.jpg")


def test_env_var_pointing_nowhere_raises_renderer_not_found_with_fix(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-dot"))
    dg = draw(seed_002_network()[0])
    with pytest.raises(RendererNotFound) as info:
        save(dg, tmp_path / "x.svg")
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert ENV_VAR in message and "pip install graphviz-pure" in message and "apt install graphviz" in message


def test_broken_binary_exit_127_raises_renderer_not_found(tmp_path, monkeypatch):
    broken = script(tmp_path, "dot", "echo 'dot: libgvc.so.6: cannot open shared object' >&2; exit 127")
    monkeypatch.setenv(ENV_VAR, str(broken))
    dg = draw(seed_002_network()[0])
    with pytest.raises(RendererNotFound, match=r"broken \(exit 127.*libgvc.*pip install graphviz-pure"):
        dg.pipe("svg")
    with pytest.raises(RendererNotFound, match="pip install graphviz-pure"):
        dg.render(directory=tmp_path)  # graphviz's own render path, through DOT_BINARY


def test_jupyter_display_shows_message_and_source_instead_of_raising(tmp_path, monkeypatch):
    loss, _ = seed_002_network()
    dg = draw(loss)
    shown = dg._repr_mimebundle_()
    assert set(shown) == {"image/svg+xml"} and "<svg" in shown["image/svg+xml"]
    monkeypatch.setenv(ENV_VAR, str(script(tmp_path, "dot", "exit 127")))
    shown = dg._repr_mimebundle_()
    assert "image/svg+xml" not in shown
    assert "Cannot render this diagram" in shown["text/plain"] and dg.source in shown["text/plain"]
    assert "pip install graphviz-pure" in shown["text/html"]


def test_render_time_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(script(tmp_path, "slowdot", "sleep 5")))
    with pytest.raises(RenderError, match=r"took more than 0.3 s"):
        renderer.render_source("digraph { a -> b }", "svg", timeout=0.3)


def test_pdf_goes_to_a_real_dot_and_graphviz_pure_gets_a_clear_error(tmp_path, monkeypatch):
    fake_dot = script(tmp_path, "dot", 'cat >/dev/null; case "$2" in -Tpdf) printf "%%PDF-1.4 fake";; esac')
    monkeypatch.setenv(ENV_VAR, str(fake_dot))
    dg = draw(seed_002_network()[0])
    assert save(dg, tmp_path / "g.pdf").read_bytes() == b"%PDF-1.4 fake"
    pure = tmp_path / "graphviz-pure"
    pure.symlink_to(fake_dot)
    monkeypatch.setenv(ENV_VAR, str(pure))
    with pytest.raises(RendererNotFound, match=r"PDF needs Graphviz's own dot.*apt install graphviz"):
        save(dg, tmp_path / "g2.pdf")


def test_resolution_order_env_then_dot_then_scripts_dir_then_path(tmp_path, monkeypatch):
    path_dir, scripts_dir, env_dir = (tmp_path / d for d in ("path", "scripts", "env"))
    for d in (path_dir, scripts_dir, env_dir):
        d.mkdir()
    monkeypatch.setenv("PATH", str(path_dir))
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(scripts_dir))
    assert find_renderer() is None
    with pytest.raises(RendererNotFound, match="no Graphviz renderer found"):
        renderer.render_source("digraph { a }")
    on_path = script(path_dir, "graphviz-pure", "exit 0")
    assert find_renderer() == str(on_path)
    in_scripts = script(scripts_dir, "graphviz-pure", "exit 0")
    assert find_renderer() == str(in_scripts)  # the interpreter's own scripts dir beats PATH
    real_dot = script(path_dir, "dot", "exit 0")
    assert find_renderer() == str(real_dot)  # a real dot beats graphviz-pure
    explicit = script(env_dir, "mydot", "exit 0")
    monkeypatch.setenv(ENV_VAR, str(explicit))
    assert find_renderer() == str(explicit)


def test_graphviz_private_dot_binary_hook_still_exists_and_is_used(tmp_path):
    # Private API of the graphviz package (pinned >=0.20,<0.22): if it moves, this must fail.
    from graphviz.backend import dot_command
    assert hasattr(dot_command, "DOT_BINARY")
    binary = renderer.configure_graphviz()
    assert binary is not None and str(dot_command.DOT_BINARY) == binary
    assert dot_command.command("dot", "svg")[0] == dot_command.DOT_BINARY
    plain = graphviz.Digraph()  # an ordinary graphviz Digraph renders through our renderer
    plain.edge("alpha", "beta")
    svg = plain.pipe(format="svg", encoding="utf-8")
    assert "alpha" in svg and "beta" in svg
