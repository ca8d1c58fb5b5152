"""The HTML player of the step-by-step backward: ONE inline SVG, frame data, a few lines of JS.

A frame is applied by toggling CSS classes on the SVG groups of each node (done / current /
pending) and rewriting the text of the grad fields that change (see step_layout.py for the ids).
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

from .style import CURRENT_STYLE, PENDING_STYLE

__all__ = ["stepper_fragment", "stepper_page", "player_data"]

_COUNTER = itertools.count()  # two players in one notebook must not share element ids

_SCRIPT = """<script>
(function () {
  var root = document.getElementById("%(uid)s"), D = %(data)s, n = D.step.length;
  var slider = root.querySelector("input[type=range]"), cap = root.querySelector(".tg-caption");
  var groups = [], fields = [];
  for (var i = 0; i < n; i++) {
    groups.push(root.querySelectorAll(".tgn" + i));
    fields.push(document.getElementById("%(uid)s-g" + i));
  }
  function show(k) {
    k = Math.max(0, Math.min(D.caps.length - 1, k));
    var t = D.t0.slice();
    for (var j = 1; j <= k; j++)
      for (var m = 0; m < D.dt[j].length; m += 2) t[D.dt[j][m]] = D.dt[j][m + 1];
    for (var i = 0; i < n; i++) {
      var s = D.step[i] < k ? "tg-done" : D.step[i] === k ? "tg-current" : "tg-pending";
      for (var e = 0; e < groups[i].length; e++) {
        groups[i][e].classList.remove("tg-done", "tg-current", "tg-pending");
        groups[i][e].classList.add(s);
      }
      if (fields[i]) fields[i].textContent = t[i];
    }
    cap.textContent = D.caps[k];
    slider.value = k;
  }
  root.querySelector(".tg-prev").onclick = function () { show(+slider.value - 1); };
  root.querySelector(".tg-next").onclick = function () { show(+slider.value + 1); };
  slider.oninput = function () { show(+slider.value); };
  root.querySelector(".tg-figure").onclick = function () { this.classList.toggle("tg-zoom"); };
  show(0);
})();
</script>"""

_C, _P, _S = CURRENT_STYLE, PENDING_STYLE, ".tg-stepper g"
# The frame states as CSS over the SVG (CSS beats graphviz's presentation attributes); the
# colours are style.py's, so a frame looks like the standalone frame_digraph of the same step.
STYLE = " ".join([
    ".tg-controls{margin:.5em 0} .tg-figure{overflow:auto;cursor:zoom-in}",
    ".tg-figure svg{max-width:100%;height:auto} .tg-figure.tg-zoom svg{max-width:none}",
    f"{_S}.node.tg-pending polygon,{_S}.node.tg-pending ellipse,{_S}.node.tg-pending polyline,"
    f"{_S}.edge.tg-pending path{{stroke:{_P['color']}}}",
    f"{_S}.tgv.tg-pending polygon{{fill:{_P['fillcolor']}}}",
    f"{_S}.edge.tg-pending polygon{{stroke:{_P['color']};fill:{_P['color']}}}",
    f"{_S}.node.tg-pending text{{fill:{_P['fontcolor']}}}",
    f"{_S}.edge.tg-pending text{{display:none}}",  # nothing has been passed back along it yet
    f"{_S}.node.tg-current polygon,{_S}.node.tg-current ellipse"
    f"{{stroke:{_C['color']};stroke-width:{_C['penwidth']}}}",
    f"{_S}.tgv.tg-current polygon{{fill:{_C['fillcolor']}}}",
    f"{_S}.edge.tg-current path{{stroke:{_C['color']};stroke-width:2.5}}",
    f"{_S}.edge.tg-current polygon{{stroke:{_C['color']};fill:{_C['color']}}}"])


def player_data(frames) -> dict:
    """What the script needs: when each node is processed, frame 0's texts, then text changes."""
    step = [0] * len(frames)
    for frame in frames:
        step[frame.current] = frame.step
    deltas = [[]] + [[x for i in f.changed for x in (i, f.text(i))] for f in frames[1:]]
    return {"step": step, "t0": list(frames[0].grad_texts) if frames else [], "dt": deltas,
            "caps": [f.caption for f in frames]}


def _inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an inline element: no XML prolog or comments, ids made unique."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r'\bid="', f'id="{prefix}', body)


def stepper_fragment(svg: str, frames) -> str:
    """The player as an HTML fragment (a div, its style and its script), for Jupyter or a page."""
    data = player_data(frames)
    digest = hashlib.sha1("\n".join(data["caps"]).encode()).hexdigest()[:8]
    uid = f"tg-{digest}-{next(_COUNTER)}"
    last = max(len(frames) - 1, 0)
    # json.dumps with ensure_ascii cannot produce '</script>' once '</' is escaped.
    literal = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    return "\n".join([
        f"<style>{STYLE}</style>",
        f'<div id="{uid}" class="tg-stepper">',
        '<div class="tg-controls"><button type="button" class="tg-prev">&#9664; prev</button> '
        f'<input type="range" min="0" max="{last}" value="{last}" step="1" '
        'aria-label="backward step"> '
        '<button type="button" class="tg-next">next &#9654;</button></div>',
        f'<p class="tg-caption">{html.escape(data["caps"][-1] if frames else "")}</p>',
        f'<div class="tg-figure" title="click to zoom">{_inline_svg(svg, uid + "-")}</div>',
        "</div>",
        _SCRIPT % {"uid": uid, "data": literal}])


def stepper_page(svg: str, frames, title: str = "Backward, step by step") -> str:
    """A complete, self-contained HTML document holding the player."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{font-family:sans-serif;margin:1em}</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n{stepper_fragment(svg, frames)}\n</body>\n</html>\n")
