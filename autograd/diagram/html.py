"""The HTML player of the step-by-step backward: ONE inline SVG, frame data, a few lines of JS.

A frame is applied by toggling CSS classes on the SVG groups of each node (done / current /
pending) and rewriting the text of the grad fields that change (see step_layout.py for the ids).
The figure sits in its own scrolling box: each step scrolls THAT box (never the page) so that
the bounding box of the step -- the op, its output and its inputs, i.e. every edge that carries
this step's numbers -- is in view; a "fit" / "100 %" button switches between the whole figure
scaled to the box and its natural size (every text at least 11 px high); a small figure starts
fitted. The controls stay on top (sticky), the keyboard works (left/right arrows, Home/End), a
side panel writes out the step's arithmetic, and below ~1000 px of width the panel stacks under
the figure. The last page is a summary of every parameter's gradient.

Practice mode (`practice` data, see practice.py) asks at each step for the gradients the step
sends to its inputs before showing them: the student types a number and Enter; the page judges
it with the grader's precision policy (`autograd.grading`: correct / rounding / too_few_digits /
slip) against numbers embedded when the page was built, and names the misconception whose
embedded number the answer matches (`autograd.misconceptions`). Nothing runs in a kernel.

Everything is in one string (no server, no network, no external script), so the saved file opens
anywhere and the same markup displays inline in Jupyter. Without JavaScript the page shows the
last frame: the complete backward diagram (in practice mode, without the numbers).
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

__all__ = ["stepper_fragment", "stepper_page", "player_data", "script_json", "inline_svg",
           "STYLE", "FIT_MIN_SCALE", "SMALL_GRAPH"]

_COUNTER = itertools.count()  # two players in one notebook must not share element ids

# A figure starts fitted when fitting shrinks it by at most this much: graphviz's 10 pt edge
# texts are 13.3 px at 100 %, so at 0.83 they stay 11 px high. Bigger figures start at 100 %,
# except a small graph (SMALL_GRAPH drawn nodes at most): it starts whole, one click from 100 %.
FIT_MIN_SCALE = 0.83
SMALL_GRAPH = 12

_SCRIPT = """<script>
(function () {
  "use strict";
  var root = document.getElementById("%(uid)s"), D = %(data)s, n = D.step.length;
  var last = D.caps.length - 1, Q = D.q || null;
  var slider = root.querySelector("input[type=range]"), cap = root.querySelector(".tg-caption");
  var prev = root.querySelector(".tg-prev"), next = root.querySelector(".tg-next");
  var zoom = root.querySelector(".tg-zoom"), fig = root.querySelector(".tg-figure");
  var svg = fig.querySelector("svg"), panel = root.querySelector(".tg-panel");
  var score = root.querySelector(".tg-score");
  var groups = [], fields = [], records = [];
  for (var i = 0; i < n; i++) {
    groups.push(root.querySelectorAll(".tgn" + i));
    fields.push(document.getElementById("%(uid)s-g" + i));
    records.push(document.getElementById("%(uid)s-v" + i));
  }
  // --- zoom: the whole figure fitted to its box, or its natural size (shrunk only as far as
  // a step's box needs to be seen whole) ----------------------------------------------------
  var natW = svg.width.baseVal.value, natH = svg.height.baseVal.value, fitted = false, scale = 1;
  function fitScale() {
    var h = parseFloat(getComputedStyle(fig).maxHeight) || fig.clientHeight;
    return Math.min(1, (fig.clientWidth - 14) / natW, (h - 14) / natH);
  }
  function setScale(s) {
    scale = s;
    svg.style.width = natW * s + "px";
    svg.style.height = natH * s + "px";
  }
  function setZoom(fit) {
    fitted = fit;
    // A fitted wide figure gains room with the panel under it rather than beside it.
    root.classList.remove("tg-stack");
    if (fit && getComputedStyle(root.querySelector(".tg-main")).flexDirection === "row") {
      var beside = fitScale();
      root.classList.add("tg-stack");
      if (fitScale() < beside * 1.2) root.classList.remove("tg-stack");
    }
    setScale(fit ? fitScale() : 1);
    zoom.textContent = fit ? "100 %%" : "fit";
    zoom.setAttribute("aria-label", fit ? "show at natural size" : "fit the figure in its box");
    root.setAttribute("data-zoom", fit ? "fit" : "100");
  }
  // --- the step's box: the op, its output and its inputs, scrolled into the FIGURE's view --
  function stepBox(k) {
    var els = [];
    D.near[k].forEach(function (j, m) {
      if (m === 0) for (var e = 0; e < groups[j].length; e++) els.push(groups[j][e]);
      else if (records[j]) els.push(records[j]);
    });
    var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    els.forEach(function (el) {
      var q = el.getBoundingClientRect();
      if (!q.width && !q.height) return;
      l = Math.min(l, q.left); t = Math.min(t, q.top); r = Math.max(r, q.right); b = Math.max(b, q.bottom);
    });
    return l === Infinity ? null : {l: l, t: t, w: r - l, h: b - t};
  }
  function frame(k) {
    if (k >= D.near.length || !D.near[k].length) return;
    var box = stepBox(k), cw = fig.clientWidth - 8, ch = fig.clientHeight - 8;
    if (!box) return;
    // at 100 %%, shrink only as much as this step needs to be seen whole (measured again: a
    // scrollbar that comes or goes changes the room)
    for (var round = 0; !fitted && round < 4; round++) {
      var need = Math.min(1, cw / (box.w / scale), ch / (box.h / scale));
      if (round > 0 && box.w <= cw && box.h <= ch) break;
      if (Math.abs(need - scale) < 1e-4 && round === 0 && box.w <= cw && box.h <= ch) break;
      setScale(round > 0 ? need * 0.98 : need);
      cw = fig.clientWidth - 8; ch = fig.clientHeight - 8;
      box = stepBox(k);
    }
    var f = fig.getBoundingClientRect();
    var x = box.l - f.left + fig.scrollLeft, y = box.t - f.top + fig.scrollTop;
    fig.scrollLeft = x + box.w / 2 - fig.clientWidth / 2;  // centred (the box fits now)
    fig.scrollTop = y + box.h / 2 - fig.clientHeight / 2;
  }
  // --- practice: the grader's precision policy over embedded numbers -----------------------
  var MINUS = /[\\u2212\\u2012\\u2013\\ufe63\\uff0d]/g;
  var NUMBER = /^([-+]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([-+]?\\d{1,4}))?$/;
  function parse(text) {
    var raw = String(text).trim().replace(MINUS, "-");
    if (raw.indexOf("^") >= 0) return {error: "`^` is not a power: write a number as 1.5e-3"};
    var m = NUMBER.exec(raw);
    if (!raw || raw.length > 60 || !m || !(m[2] || m[3]))
      return {error: "not a number: write it like 0.731, -0.1966 or 1.5e-3"};
    var value = parseFloat(raw), digits = (m[2] + (m[3] || "")).replace(/^0+/, "");
    if (!isFinite(value) || (value === 0 && digits)) return {error: "number out of range"};
    return {value: value, lastPlace: parseInt(m[4] || "0", 10) - (m[3] || "").length};
  }
  function within(given, exact, place, units) {
    return Math.abs(given - exact) <= units * Math.pow(10, place) * (1 + 1e-9);
  }
  // [exact, place] -> correct | rounding | too_few_digits | slip (autograd.grading.verdict)
  function judge(p, exact, place) {
    if (place === null) return p.value === 0 ? "correct" : "slip";
    if (within(p.value, exact, place, 0.5)) return "correct";
    if (within(p.value, exact, place, 1)) return "rounding";
    if (p.value !== 0 && p.lastPlace > place && (within(p.value, exact, p.lastPlace, 0.5) ||
                                                  cut(p.value, exact, p.lastPlace)))
      return "too_few_digits";
    return "slip";
  }
  function cut(given, exact, place) {  // exact cut (not rounded) at that place
    var short = Math.abs(exact) - Math.abs(given);
    return (given > 0) === (exact > 0) && 0 <= short && short < Math.pow(10, place) * (1 + 1e-9);
  }
  function diagnose(p, alts) {  // the first code, in catalogue order, whose number it matches
    for (var a = 0; a < alts.length; a++)
      for (var b = 0; b < alts[a][1].length; b++) {
        var v = judge(p, alts[a][1][b][0], alts[a][1][b][1]);
        if (v === "correct" || v === "rounding") return alts[a][0];
      }
    return null;
  }
  root.tgJudge = function (text, exact, place) {  // for tests: the page's own policy
    var p = parse(text);
    return p.error ? "error" : judge(p, exact, place);
  };
  root.tgDiagnose = function (text, alts) {  // for tests: the page's own diagnosis
    var p = parse(text);
    return p.error ? null : diagnose(p, alts);
  };
  var state = [];  // per frame, per question: {first, verdict, code, text, hints, revealed}
  if (Q) Q.forEach(function (qs) { state.push(qs.map(function () { return {hints: 0}; })); });
  function settled(st) { return st.revealed || st.verdict === "correct" || st.verdict === "rounding"; }
  function asking(k) { return Q && k < Q.length && state[k].some(function (st) { return !settled(st); }); }
  function tally() {
    if (!Q) return;
    var asked = 0, right = 0, answered = 0;
    state.forEach(function (qs) { qs.forEach(function (st) {
      asked++;
      if (st.first) answered++;
      if (st.first === "correct" || st.first === "rounding") right++;
    }); });
    score.textContent = "score " + right + " / " + answered + " answered (" + asked + " asked)";
  }
  function say(el, text, cls) {
    var div = document.createElement("div");
    div.className = cls;
    div.textContent = text;
    el.appendChild(div);
    return div;
  }
  function verdictText(st, q) {
    var v = st.verdict, out = v.replace(/_/g, " ");
    if (v === "rounding") out += " (exact " + q.key + ")";
    if (v === "too_few_digits") out += ": give " + D.digits + " significant digits";
    if (st.code) out += ": likely " + st.code.replace(/_/g, " ") + ": " + D.codes[st.code];
    return out;
  }
  function questions(k) {
    var box = document.createElement("div");
    box.className = "tg-questions";
    Q[k].forEach(function (q, m) {
      var st = state[k][m], row = document.createElement("div");
      row.className = "tg-q";
      var label = document.createElement("label");
      label.textContent = (settled(st) ? q.ask.replace("?", q.key) : q.ask) + " ";
      row.appendChild(label);
      if (settled(st)) {
        var right = st.verdict === "correct" || st.verdict === "rounding";
        say(row, right ? "you: " + st.text : "revealed" + (st.text ? " (you: " + st.text + ")" : ""),
            "tg-answer");
        if (st.verdict) say(row, verdictText(st, q), "tg-verdict tg-" + st.verdict);
        if (st.log && st.log.length > 1)  // what went before the right answer
          say(row, "before: " + st.log.slice(0, -1).join(", ").replace(/_/g, " "), "tg-hint-text");
      } else {
        var input = document.createElement("input");
        input.type = "text"; input.className = "tg-input"; input.size = 12;
        input.setAttribute("inputmode", "decimal"); input.setAttribute("autocomplete", "off");
        input.setAttribute("aria-label", q.ask);
        input.onkeydown = function (ev) {  // Enter answers; Escape hands the arrows back
          if (ev.key === "Escape") { ev.preventDefault(); root.focus({preventScroll: true}); }
          if (ev.key !== "Enter") return;
          ev.preventDefault(); ev.stopPropagation();
          submit(k, m, input.value);
        };
        label.appendChild(input);
        var hint = document.createElement("button");
        hint.type = "button"; hint.className = "tg-hint"; hint.textContent = "hint";
        hint.onclick = function () { st.hints = Math.min(2, st.hints + 1); show(k, m); };
        var reveal = document.createElement("button");
        reveal.type = "button"; reveal.className = "tg-reveal"; reveal.textContent = "reveal";
        reveal.onclick = function () {
          st.revealed = true; if (!st.first) st.first = "revealed"; tally(); show(k, m + 1);
        };
        row.appendChild(hint); row.appendChild(reveal);
        if (st.verdict) say(row, "you: " + st.text + ": " + verdictText(st, q), "tg-verdict tg-" + st.verdict);
        if (st.error) say(row, st.error, "tg-verdict tg-error");
        if (st.hints > 0) say(row, "hint: " + q.hints[0], "tg-hint-text");
        if (st.hints > 1) say(row, "hint: " + q.hints[1], "tg-hint-text");
      }
      box.appendChild(row);
    });
    return box;
  }
  function submit(k, m, text) {
    var st = state[k][m], q = Q[k][m], p = parse(text);
    st.error = p.error || null;
    if (!p.error) {
      st.text = String(text).trim();
      st.verdict = judge(p, q.exact, q.place);
      st.code = st.verdict === "slip" ? diagnose(p, q.alts) : null;
      if (!st.first) st.first = st.verdict;
      if (!st.log) st.log = [];
      st.log.push(st.verdict + (st.code ? " (" + st.code + ")" : ""));
    }
    tally();
    show(k, settled(st) ? m + 1 : m);
  }
  function missed() {  // the practice summary: every answer not right first time, then a count
    var lines = [], open = [];
    state.forEach(function (qs, k) { qs.forEach(function (st, m) {
      if (st.first === "correct" || st.first === "rounding") return;
      if (!st.first) { if (open.indexOf(k + 1) < 0) open.push(k + 1); return; }
      var how = (st.log || []).concat(st.revealed ? ["revealed"] : []).join(", ");
      lines.push("step " + (k + 1) + ": " + Q[k][m].ask.replace(/ = \\?.*$/, "") + ": " + how);
    }); });
    if (open.length)
      lines.push("not answered yet: step" + (open.length > 1 ? "s " : " ") + open.join(", "));
    return lines;
  }
  // --- one frame ---------------------------------------------------------------------------
  function lines(k, ask) {
    panel.textContent = "";
    var page = D.panel[k];
    var fold = null;
    page.forEach(function (line, m) {
      if (ask && m > 0) return;  // the arithmetic gives the answers away: after answering
      if (line.charAt(0) === "\t") {  // a group's scalar steps: folded until asked for
        if (!fold) {
          fold = document.createElement("details");
          var sum = document.createElement("summary");
          sum.textContent = "the scalar steps of this group";
          fold.appendChild(sum);
          panel.appendChild(fold);
        }
        say(fold, line.slice(1), "tg-line");
        return;
      }
      say(panel, line, m === 0 ? "tg-head" : "tg-line");
    });
    if (Q && k < Q.length && Q[k].length) panel.appendChild(questions(k));
    if (Q && k === last) {
      var lost = missed();
      say(panel, "practice: " + score.textContent, "tg-head");
      say(panel, lost.length ? "missed:" : "every answer right first time", "tg-line");
      lost.forEach(function (line) { say(panel, "  " + line, "tg-line tg-missed"); });
    }
  }
  function show(k, focusQuestion) {
    k = Math.max(0, Math.min(last, k));
    var ask = asking(k);
    var t = D.t0.slice(), upto = ask ? k - 1 : k;
    for (var j = 1; j <= upto; j++)
      for (var m = 0; m < D.dt[j].length; m += 2) t[D.dt[j][m]] = D.dt[j][m + 1];
    var open = {};  // inputs with a question still open: their new grad stays hidden
    if (ask) Q[k].forEach(function (q, m) { if (!settled(state[k][m])) open[q.node] = true; });
    if (ask && k > 0) for (var m2 = 0; m2 < D.dt[k].length; m2 += 2) {
      var j2 = D.dt[k][m2];  // its own grad is given; an answered input's is shown
      if (j2 === D.cur[k] || !open[j2]) t[j2] = D.dt[k][m2 + 1];
    }
    // t0 is the texts AFTER the first step: before it, an input with an open question has
    // received nothing yet (without this, step 1's answers stood in their boxes)
    if (ask && k === 0) for (var j0 in open) t[j0] = "grad ?";
    for (var i = 0; i < n; i++) {
      var s = D.step[i] < k ? "tg-done" : D.step[i] === k ? "tg-current" : "tg-pending";
      if (D.fold[i] && D.step[i] === k) s = "tg-done";  // a constant: never the current step
      for (var e = 0; e < groups[i].length; e++) {
        groups[i][e].classList.remove("tg-done", "tg-current", "tg-pending");
        groups[i][e].classList.add(s);
      }
      if (fields[i]) fields[i].textContent = t[i];
    }
    root.classList.toggle("tg-asking", ask);
    Array.prototype.forEach.call(root.querySelectorAll(".tg-shown"), function (e) {
      e.classList.remove("tg-shown"); });
    if (ask) Q[k].forEach(function (q) {  // an answered edge shows its arithmetic
      var edge = document.getElementById("%(uid)s-e" + D.cur[k] + "_" + q.edge);
      if (edge && !open[q.node]) edge.classList.add("tg-shown");
    });
    cap.textContent = D.caps[k];
    lines(k, ask);
    slider.value = k;
    root.setAttribute("data-step", k);
    prev.disabled = k === 0;
    next.disabled = k === last;
    if (fitted) setZoom(true);
    frame(k);
    if (focusQuestion !== undefined) {
      var inputs = panel.querySelectorAll(".tg-input");
      var target = inputs.length ? inputs[0] : root;
      target.focus({preventScroll: true});
    }
  }
  function go(k) { show(k, Q ? 0 : undefined); }
  prev.onclick = function () { go(+slider.value - 1); };
  next.onclick = function () { go(+slider.value + 1); };
  slider.oninput = function () { go(+slider.value); };
  zoom.onclick = function () { setZoom(!fitted); frame(+slider.value); };
  function key(ev) {
    if (ev.target === slider || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.target && ev.target.classList && ev.target.classList.contains("tg-input")) return;
    var k = {ArrowLeft: +slider.value - 1, ArrowRight: +slider.value + 1, Home: 0, End: last}[ev.key];
    if (k === undefined) return;
    ev.preventDefault();
    go(k);
  }
  // A page of its own listens everywhere; inside a notebook only when the player has focus.
  (%(page)s ? document : root).addEventListener("keydown", key);
  setZoom(D.small || fitScale() >= %(fit)s);
  tally();
  // A page of its own opens at the step its address names (`page.html#step=12`: a graded
  // report's rows link there); no focus and no page scroll on first render.
  var hash = %(page)s ? /[#&]step=(\\d+)/.exec(location.hash) : null;
  show(hash ? +hash[1] : 0);
  if (%(page)s) window.addEventListener("hashchange", function () {
    var h = /[#&]step=(\\d+)/.exec(location.hash);
    if (h) go(+h[1]);
  });
})();
</script>"""

_C, _P, _S = CURRENT_STYLE, PENDING_STYLE, ".tg-stepper g"
_HEIGHT = "calc(100vh - 8em)"  # figure and panel fit the window below the sticky controls
# The frame states as CSS over the SVG (CSS beats graphviz's presentation attributes); the
# colours are style.py's, so a frame looks like the standalone frame_digraph of the same step.
STYLE = " ".join([
    ".tg-stepper{font-family:sans-serif;font-size:14px;container-type:inline-size}",
    ".tg-controls{position:sticky;top:0;z-index:5;background:#fff;padding:.4em 0;"
    "border-bottom:1px solid #ddd;display:flex;gap:.6em;align-items:center;flex-wrap:wrap}",
    ".tg-controls button{font-size:14px} .tg-caption{margin:0;font-size:14px}",
    ".tg-score{font-weight:bold}",
    ".tg-main{display:flex;gap:1em;align-items:flex-start;margin-top:.5em}",
    f".tg-figure{{flex:1 1 auto;min-width:0;overflow:auto;max-height:{_HEIGHT}}}",
    # natural size unless fitted (text stays readable); a margin for shapes drawn past the
    # SVG's edge (a box3d's depth)
    ".tg-figure svg{max-width:none;display:block;margin:6px}",
    f".tg-panel{{flex:0 0 27em;max-height:{_HEIGHT};overflow:auto;font:14px/1.5 monospace;"
    "background:#fafafa;border:1px solid #ddd;padding:.5em;white-space:pre-wrap}",
    # A narrow player (a phone, a notebook column) stacks the panel under the figure.
    "@container (max-width: 1000px){.tg-main{flex-direction:column}"
    ".tg-figure{width:100%;flex:0 0 auto;max-height:calc(62vh - 4em)}"
    ".tg-panel{flex:0 0 auto;width:100%;box-sizing:border-box;max-height:34vh}}",
    # ... and so does a fitted figure much wider than high (the script decides: tg-stack)
    ".tg-stack .tg-main{flex-direction:column}"
    ".tg-stack .tg-figure{width:100%;flex:0 0 auto;max-height:calc(62vh - 4em)}"
    ".tg-stack .tg-panel{flex:0 0 auto;width:100%;box-sizing:border-box;max-height:34vh}",
    ".tg-panel .tg-head{font-weight:bold}",
    ".tg-q{margin:.4em 0} .tg-input{font:14px monospace} .tg-q button{font-size:13px}",
    ".tg-correct,.tg-rounding{color:#38761d} .tg-too_few_digits{color:#b45f06}",
    ".tg-slip,.tg-error{color:#990000} .tg-hint-text{color:#555}",
    f"{_S}.node.tg-pending polygon,{_S}.node.tg-pending ellipse,{_S}.node.tg-pending polyline,"
    f"{_S}.edge.tg-pending path{{stroke:{_P['color']}}}",
    f"{_S}.tgv.tg-pending polygon,{_S}.tgo.tg-pending ellipse{{fill:{_P['fillcolor']}}}",
    f"{_S}.edge.tg-pending polygon{{stroke:{_P['color']};fill:{_P['color']}}}",
    f"{_S}.node.tg-pending text{{fill:{_P['fontcolor']}}}",
    f"{_S}.edge.tg-pending text{{display:none}}",  # nothing has been passed back along it yet
    # a group's box: its gradient norm (third line) is not known before its step
    f"{_S}.tgbox.tg-pending text:nth-of-type(n+3){{visibility:hidden}}",
    ".tg-panel summary{cursor:pointer;color:#0b5394}",
    # practice: this step's edges carry the answers until they are given
    ".tg-stepper.tg-asking g.edge.tg-current text{visibility:hidden}",
    ".tg-stepper.tg-asking g.edge.tg-current.tg-shown text{visibility:visible}",
    f"{_S}.node.tg-current polygon,{_S}.node.tg-current ellipse"
    f"{{stroke:{_C['color']};stroke-width:{_C['penwidth']}}}",
    f"{_S}.tgv.tg-current polygon{{fill:{_C['fillcolor']}}}",
    f"{_S}.edge.tg-current path{{stroke:{_C['color']};stroke-width:2.5}}",
    f"{_S}.edge.tg-current polygon{{stroke:{_C['color']};fill:{_C['color']}}}"])


def player_data(frames: Sequence[Frame], panel: Sequence[Sequence[str]] | None = None,
                steps: Sequence[int] | None = None, captions: Sequence[str] | None = None,
                near: Sequence[Sequence[int]] | None = None,
                folded: Sequence[bool] | None = None) -> dict[str, Any]:
    """What the script needs: when each node is processed (`steps`, default: from the frames),
    frame 0's texts, then text changes, the captions and the side panel's lines (pages after
    the frames -- the summary -- change no text), and per frame the nodes whose bounding box
    is scrolled into view (`near`: the current node first, then its inputs)."""
    step = list(steps) if steps is not None else [0] * (len(frames[0].grads) if frames else 0)
    if steps is None:
        for frame in frames:
            if frame.current >= 0:  # -1: a closing frame where no node is processed (all done)
                step[frame.current] = frame.step
    caps = list(captions) if captions is not None else [f.caption for f in frames]
    deltas: list[list[int | str]] = [[]] + [[x for i in f.changed for x in (i, f.text(i))]
                                            for f in frames[1:]]
    deltas += [[] for _ in range(len(caps) - len(frames))]  # the summary changes no text
    return {"step": step, "t0": list(frames[0].grad_texts) if frames else [], "dt": deltas,
            "caps": caps, "cur": [f.current for f in frames],
            "panel": [list(p) for p in panel] if panel is not None else [[c] for c in caps],
            "near": [list(x) for x in near] if near is not None else [[f.current] for f in frames],
            "fold": [bool(x) for x in folded] if folded is not None else [False] * len(step),
            "small": len(step) <= SMALL_GRAPH}


def script_json(data: object) -> str:
    """`data` as a JavaScript literal that is safe inside <script>: every `<`, `>` and `&`
    escaped, so no text in it can close the script or open a comment (`</script>`, `<!--`)."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an inline element: no XML prolog or comments, ids made unique."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r'\bid="', f'id="{prefix}', body)


def stepper_fragment(svg: str, data: dict[str, Any], *, page: bool = False) -> str:
    """The player as an HTML fragment (a div, its style and its script), for Jupyter or a page.

    `data`: `player_data(...)`, with `q`, `codes` and `digits` added for practice mode."""
    digest = hashlib.sha1("\n".join(data["caps"]).encode()).hexdigest()[:8]
    uid = f"tg-{digest}-{next(_COUNTER)}"
    last = max(len(data["caps"]) - 1, 0)
    practice = data.get("q") is not None
    # Without JavaScript: the last page. In practice mode it would give every answer away.
    final = "" if practice or not data["panel"] else "\n".join(data["panel"][-1])
    caption = "" if practice or not data["caps"] else data["caps"][-1]
    score = '<span class="tg-score" aria-live="polite"></span>' if practice else \
        '<span class="tg-score" hidden></span>'
    return "\n".join([
        f"<style>{STYLE}</style>",
        f'<div id="{uid}" class="tg-stepper{" tg-practice" if practice else ""}" tabindex="-1">',
        '<div class="tg-controls"><button type="button" class="tg-prev">&#9664; prev</button>'
        f'<input type="range" min="0" max="{last}" value="{last}" step="1" '
        'aria-label="backward step">'
        '<button type="button" class="tg-next">next &#9654;</button>'
        '<button type="button" class="tg-zoom">fit</button>'
        f'{score}<p class="tg-caption">{html.escape(caption)}</p></div>',
        '<div class="tg-main">',
        f'<div class="tg-figure">{inline_svg(svg, uid + "-")}</div>',
        f'<div class="tg-panel" aria-live="polite">{html.escape(final)}</div>',
        "</div></div>",
        _SCRIPT % {"uid": uid, "data": script_json(data), "page": "true" if page else "false",
                   "fit": FIT_MIN_SCALE}])


def stepper_page(svg: str, data: dict[str, Any], title: str = "Backward, step by step") -> str:
    """A complete, self-contained HTML document holding the player (the title once, as h1)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{font-family:sans-serif;margin:.5em 1em} h1{font-size:20px;margin:.2em 0}"
            "</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n{stepper_fragment(svg, data, page=True)}\n"
            "</body>\n</html>\n")
