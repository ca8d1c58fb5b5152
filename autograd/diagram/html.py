"""The HTML player of the step-by-step backward: inline SVG frames, prev/next and a slider.

Everything is in one string (no server, no network, no external script), so the saved file
opens anywhere and the same markup displays inline in Jupyter.
"""
from __future__ import annotations

import hashlib
import html
import re

__all__ = ["stepper_fragment", "stepper_page"]

_SCRIPT = """<script>
(function () {
  var root = document.getElementById("%(uid)s");
  var frames = root.querySelectorAll(".tg-frame"), caps = root.querySelectorAll(".tg-caption");
  var slider = root.querySelector("input[type=range]");
  function show(k) {
    k = Math.max(0, Math.min(frames.length - 1, k));
    for (var i = 0; i < frames.length; i++) {
      frames[i].style.display = i === k ? "" : "none";
      caps[i].style.display = i === k ? "" : "none";
    }
    slider.value = k;
  }
  root.querySelector(".tg-prev").onclick = function () { show(+slider.value - 1); };
  root.querySelector(".tg-next").onclick = function () { show(+slider.value + 1); };
  slider.oninput = function () { show(+slider.value); };
  show(0);
})();
</script>"""


def _inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an inline element: no XML prolog, ids made unique per frame."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r'\bid="', f'id="{prefix}', body)


def stepper_fragment(svgs: list, captions: list) -> str:
    """The player as an HTML fragment (a div and its script), for Jupyter or a page body."""
    uid = "tg-" + hashlib.sha1("".join(captions).encode() + str(len(svgs)).encode()).hexdigest()[:10]
    parts = [f'<div id="{uid}" class="tg-stepper">',
             '<div class="tg-controls">'
             '<button type="button" class="tg-prev">&#9664; prev</button> '
             f'<input type="range" min="0" max="{max(len(svgs) - 1, 0)}" value="0" step="1"> '
             '<button type="button" class="tg-next">next &#9654;</button></div>']
    for k, (svg, caption) in enumerate(zip(svgs, captions)):
        hidden = "" if k == 0 else ' style="display:none"'
        parts.append(f'<p class="tg-caption"{hidden}>{html.escape(caption)}</p>')
        parts.append(f'<div class="tg-frame" data-step="{k + 1}"{hidden}>'
                     f'{_inline_svg(svg, f"{uid}-f{k}-")}</div>')
    parts.append("</div>")
    parts.append(_SCRIPT % {"uid": uid})
    return "\n".join(parts)


def stepper_page(svgs: list, captions: list, title: str = "Backward, step by step") -> str:
    """A complete, self-contained HTML document holding the player."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{font-family:sans-serif;margin:1em} .tg-controls{margin:.5em 0}"
            " .tg-frame svg{max-width:100%;height:auto}</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n{stepper_fragment(svgs, captions)}\n</body>\n</html>\n")
