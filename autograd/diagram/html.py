"""The HTML player of the step-by-step backward: ONE inline SVG, frame data, a few lines of JS.

A frame is applied by toggling CSS classes on the SVG groups of each node (done / current /
pending) and rewriting the text of the grad fields that change (see step_layout.py for the ids).
The figure is shown at its natural size (every text at least 11 px high) inside a scrolling
area; each step scrolls the current node into view; the controls stay on top (sticky) and the
keyboard works (left/right arrows, Home/End); a side panel writes out the step's arithmetic.
Everything is in one string (no server, no network, no external script), so the saved file opens
anywhere and the same markup displays inline in Jupyter. Without JavaScript the page shows the
last frame: the complete backward diagram.
"""
from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .style import CURRENT_STYLE, PENDING_STYLE

if TYPE_CHECKING:
    from .frames import Frame

__all__ = ["stepper_fragment", "stepper_page", "player_data"]

_COUNTER = itertools.count()  # two players in one notebook must not share element ids

_SCRIPT = """<script>
(function () {
  var root = document.getElementById("%(uid)s"), D = %(data)s, n = D.step.length;
  var last = D.caps.length - 1;
  var slider = root.querySelector("input[type=range]"), cap = root.querySelector(".tg-caption");
  var prev = root.querySelector(".tg-prev"), next = root.querySelector(".tg-next");
  var panel = root.querySelector(".tg-panel");
  var groups = [], fields = [], records = [];
  for (var i = 0; i < n; i++) {
    groups.push(root.querySelectorAll(".tgn" + i));
    fields.push(document.getElementById("%(uid)s-g" + i));
    records.push(document.getElementById("%(uid)s-v" + i));
  }
  function lines(k) {
    panel.textContent = "";
    D.panel[k].forEach(function (line, m) {
      var div = document.createElement("div");
      div.className = m === 0 ? "tg-head" : "tg-line";
      div.textContent = line;
      panel.appendChild(div);
    });
  }
  function show(k) {
    k = Math.max(0, Math.min(last, k));
    var t = D.t0.slice();
    for (var j = 1; j <= k; j++)
      for (var m = 0; m < D.dt[j].length; m += 2) t[D.dt[j][m]] = D.dt[j][m + 1];
    var current = null;
    for (var i = 0; i < n; i++) {
      var s = D.step[i] < k ? "tg-done" : D.step[i] === k ? "tg-current" : "tg-pending";
      for (var e = 0; e < groups[i].length; e++) {
        groups[i][e].classList.remove("tg-done", "tg-current", "tg-pending");
        groups[i][e].classList.add(s);
      }
      if (fields[i]) fields[i].textContent = t[i];
      if (D.step[i] === k) current = records[i];
    }
    cap.textContent = D.caps[k];
    lines(k);
    slider.value = k;
    root.setAttribute("data-step", k);
    prev.disabled = k === 0;
    next.disabled = k === last;
    // The current node must be on screen: centre it in the figure (and the figure in the page).
    if (current) current.scrollIntoView({block: "center", inline: "center", behavior: "auto"});
  }
  prev.onclick = function () { show(+slider.value - 1); };
  next.onclick = function () { show(+slider.value + 1); };
  slider.oninput = function () { show(+slider.value); };
  function key(ev) {
    if (ev.target === slider || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var k = {ArrowLeft: +slider.value - 1, ArrowRight: +slider.value + 1, Home: 0, End: last}[ev.key];
    if (k === undefined) return;
    ev.preventDefault();
    show(k);
  }
  // A page of its own listens everywhere; inside a notebook only when the player has focus.
  (%(page)s ? document : root).addEventListener("keydown", key);
  show(0);
})();
</script>"""

_C, _P, _S = CURRENT_STYLE, PENDING_STYLE, ".tg-stepper g"
_HEIGHT = "calc(100vh - 8em)"  # figure and panel fit the window below the sticky controls
# The frame states as CSS over the SVG (CSS beats graphviz's presentation attributes); the
# colours are style.py's, so a frame looks like the standalone frame_digraph of the same step.
STYLE = " ".join([
    ".tg-stepper{font-family:sans-serif;font-size:14px}",
    ".tg-controls{position:sticky;top:0;z-index:5;background:#fff;padding:.4em 0;"
    "border-bottom:1px solid #ddd;display:flex;gap:.6em;align-items:center;flex-wrap:wrap}",
    ".tg-controls button{font-size:14px} .tg-caption{margin:0;font-size:14px}",
    ".tg-main{display:flex;gap:1em;align-items:flex-start;margin-top:.5em}",
    f".tg-figure{{flex:1 1 auto;min-width:0;overflow:auto;max-height:{_HEIGHT}}}",
    ".tg-figure svg{max-width:none;height:auto}",  # natural size: text stays readable
    f".tg-panel{{flex:0 0 27em;max-height:{_HEIGHT};overflow:auto;font:14px/1.5 monospace;"
    "background:#fafafa;border:1px solid #ddd;padding:.5em;white-space:pre-wrap}",
    ".tg-panel .tg-head{font-weight:bold}",
    f"{_S}.node.tg-pending polygon,{_S}.node.tg-pending ellipse,{_S}.node.tg-pending polyline,"
    f"{_S}.edge.tg-pending path{{stroke:{_P['color']}}}",
    f"{_S}.tgv.tg-pending polygon,{_S}.tgo.tg-pending ellipse{{fill:{_P['fillcolor']}}}",
    f"{_S}.edge.tg-pending polygon{{stroke:{_P['color']};fill:{_P['color']}}}",
    f"{_S}.node.tg-pending text{{fill:{_P['fontcolor']}}}",
    f"{_S}.edge.tg-pending text{{display:none}}",  # nothing has been passed back along it yet
    f"{_S}.node.tg-current polygon,{_S}.node.tg-current ellipse"
    f"{{stroke:{_C['color']};stroke-width:{_C['penwidth']}}}",
    f"{_S}.tgv.tg-current polygon{{fill:{_C['fillcolor']}}}",
    f"{_S}.edge.tg-current path{{stroke:{_C['color']};stroke-width:2.5}}",
    f"{_S}.edge.tg-current polygon{{stroke:{_C['color']};fill:{_C['color']}}}"])


def player_data(frames: Sequence[Frame], panel: list[list[str]] | None = None) -> dict[str, Any]:
    """What the script needs: when each node is processed, frame 0's texts, then text changes,
    the captions and the side panel's lines."""
    step = [0] * len(frames[0].grads) if frames else []  # one entry per node
    for frame in frames:
        if frame.current >= 0:  # -1: a closing frame where no node is processed (all done)
            step[frame.current] = frame.step
    deltas: list[list[int | str]] = [[]] + [[x for i in f.changed for x in (i, f.text(i))] for f in frames[1:]]
    return {"step": step, "t0": list(frames[0].grad_texts) if frames else [], "dt": deltas,
            "caps": [f.caption for f in frames],
            "panel": panel if panel is not None else [[f.caption] for f in frames]}


def _inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an inline element: no XML prolog or comments, ids made unique."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r'\bid="', f'id="{prefix}', body)


def script_json(data: object) -> str:
    """`data` as JSON that is safe inside a <script> element.

    An HTML parser ends a script at `</script`, and `<!--` followed by `<script` switches it
    into a state where even `</script>` no longer ends it (the rest of the page is swallowed):
    a label such as `<!--<script>` stopped the page. In JSON a `<` can only stand inside a
    string, where `\\u003c` means the same character, so every `<` is written that way (and
    ensure_ascii writes U+2028/U+2029, which end a line in older JavaScript, as escapes).
    """
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c")


def stepper_fragment(svg: str, frames: Sequence[Frame], panel: list[list[str]] | None = None, *,
                     page: bool = False) -> str:
    """The player as an HTML fragment (a div, its style and its script), for Jupyter or a page."""
    data = player_data(frames, panel)
    digest = hashlib.sha1("\n".join(data["caps"]).encode()).hexdigest()[:8]
    uid = f"tg-{digest}-{next(_COUNTER)}"
    last = max(len(frames) - 1, 0)
    literal = script_json(data)
    final = "\n".join(data["panel"][-1]) if frames else ""
    return "\n".join([
        f"<style>{STYLE}</style>",
        f'<div id="{uid}" class="tg-stepper" tabindex="0">',
        '<div class="tg-controls"><button type="button" class="tg-prev">&#9664; prev</button>'
        f'<input type="range" min="0" max="{last}" value="{last}" step="1" '
        'aria-label="backward step">'
        '<button type="button" class="tg-next">next &#9654;</button>'
        f'<p class="tg-caption">{html.escape(data["caps"][-1] if frames else "")}</p></div>',
        '<div class="tg-main">',
        f'<div class="tg-figure">{_inline_svg(svg, uid + "-")}</div>',
        f'<div class="tg-panel" aria-live="polite">{html.escape(final)}</div>',
        "</div></div>",
        _SCRIPT % {"uid": uid, "data": literal, "page": "true" if page else "false"}])


def stepper_page(svg: str, frames: Sequence[Frame], title: str = "Backward, step by step",
                 panel: list[list[str]] | None = None) -> str:
    """A complete, self-contained HTML document holding the player (the title once, as h1)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{font-family:sans-serif;margin:.5em 1em} h1{font-size:20px;margin:.2em 0}"
            "</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n{stepper_fragment(svg, frames, panel, page=True)}\n"
            "</body>\n</html>\n")
