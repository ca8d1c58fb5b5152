"""Hostile labels in diagrams and pages: a label like `<!--<script>` must not stop the
step-by-step page (JSON inside <script> escapes `<`), a long label ending in a backslash must
not break a diagram, and DOT tooltips are escaped like labels."""
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from autograd.diagram.html import script_json
from autograd.diagram.style import escape_text



HOSTILE = ["<!--<script>", "</script><script>alert(1)</script>", "<SCRIPT", "a" * 60 + "\\",
           "x\\", "\\N\\G" + "n" * 40, 'q"' + "z" * 50 + "\\", "line\nbreak" + "w" * 40,
           "<!--", "-->" + "k" * 40]


def _graph(label):
    a = Value(2.0, label=label)
    b = Value(-3.0, label="b")
    y = (a * b + a).named(label)
    y.backward()
    return y


def _script_bodies(page):
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S | re.I)


@given(st.text(alphabet=st.sampled_from(list("<!-/scriptSCRIPT>\\\"' \u2028x")), max_size=40))
def test_script_json_has_no_sequence_that_ends_or_escapes_a_script(text):
    literal = script_json({"caps": [text], "panel": [[text]]})
    lowered = literal.lower()
    assert "<" not in literal and "</script" not in lowered and "<!--" not in lowered
    assert "\u2028" not in literal
    assert json.loads(literal) == {"caps": [text], "panel": [[text]]}


@pytest.mark.parametrize("label", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_label_leaves_the_step_by_step_page_whole(label):
    from autograd import step_backward
    page = step_backward(_graph(label)).html()
    bodies = _script_bodies(page)
    assert len(bodies) == page.lower().count("<script")  # every script is closed where meant
    for body in bodies:
        lowered = body.lower()
        assert "<!--" not in lowered and "<script" not in lowered
    assert page.rstrip().endswith("</html>")


@pytest.mark.parametrize("label", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_label_renders_in_every_diagram(label):
    from autograd import draw
    root = _graph(label)
    for view in ("forward", "backward", "both"):
        svg = draw(root, view=view).pipe(format="svg").decode()
        assert svg.rstrip().endswith("</svg>")


def test_tooltips_are_escaped_like_labels():
    from autograd import draw
    label = "w" * 50 + "\\"
    source = draw(_graph(label)).source
    tooltip = re.search(r'tooltip="((?:[^"\\]|\\.)*)"', source)
    assert tooltip is not None
    assert tooltip.group(1) == escape_text(label)  # the backslash doubled: still one in the tip
    assert escape_text("a\\b\nc") == "a\\\\b\\nc"
