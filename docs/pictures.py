"""Regenerate the README's pictures from the code: `python docs/pictures.py`.

Two pictures of one neuron, y = tanh(w1·x1 + w2·x2 + b):

- `docs/images/backward.svg`: its backward diagram (`draw(y, view="backward")`);
- `docs/images/stepper.png`: the step-by-step page at step SHOWN_STEP, screenshot in headless
  Chromium (needs selenium, /usr/bin/chromium and /usr/bin/chromedriver, as the browser tests).

`docs/images/pictures.json` records, per picture, the SHA-256 of what the code decided (the DOT
source; for the page also its captions and side-panel lines) and of the file written.
tests/test_docs_pictures.py recomputes the first from the code and compares both, so a change
that alters a picture fails until this script is run again -- and the check never depends on
which Graphviz renderer or fonts drew the picture.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a clone: the package beside this folder
    sys.path.insert(0, str(ROOT))

from autograd import Value, draw, save, vsum  # noqa: E402
from autograd.diagram import BackwardStepper, Diagram, step_backward  # noqa: E402

IMAGES = ROOT / "docs" / "images"
MANIFEST = IMAGES / "pictures.json"
RANKDIR = "TB"  # top to bottom: left to right, the edge formulas make it twice as wide as a page
SHOWN_STEP = 3  # after three presses of "next": w2x2 passes its gradient to w2 and x2
WIDTH, HEIGHT = 1500, 900  # the screenshot's size in CSS pixels


def neuron() -> tuple[Value, list[Value], list[Value]]:
    """The neuron of both pictures, backpropagated: (y, its inputs, its parameters)."""
    x1, x2 = Value(2.0, label="x1"), Value(-1.0, label="x2")
    w1, w2, b = Value(-0.5, label="w1"), Value(0.75, label="w2"), Value(0.5, label="b")
    z = vsum([(w1 * x1).named("w1x1"), (w2 * x2).named("w2x2"), b]).named("z")
    y = z.tanh().named("y")
    y.backward()
    return y, [x1, x2], [w1, w2, b]


def backward_diagram() -> Diagram:
    """The README's backward diagram."""
    y, inputs, params = neuron()
    return draw(y, view="backward", inputs=inputs, params=params, rankdir=RANKDIR)


def stepper() -> BackwardStepper:
    """The README's step-by-step page."""
    y, inputs, params = neuron()
    return step_backward(y, inputs=inputs, params=params, rankdir=RANKDIR,
                         title="y = tanh(w1·x1 + w2·x2 + b), backward step by step")


def decided() -> dict[str, str]:
    """Per picture, the text the code decides (renderer-independent): what the hashes cover."""
    page = stepper()
    return {"backward.svg": backward_diagram().source,
            "stepper.png": "\n".join([page.diagram.source, *page.captions,
                                      *("\n".join(lines) for lines in page.panel)])}


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of bytes, or of a string as UTF-8."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def screenshot(html: Path, png: Path) -> None:
    """The page at SHOWN_STEP, WIDTH x HEIGHT, as a PNG (headless Chromium via Selenium)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--disable-background-networking", "--no-first-run"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1,
                                "mobile": False})
        driver.get(html.as_uri())
        for _ in range(SHOWN_STEP):
            ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        step = driver.execute_script("return document.querySelector('.tg-stepper').dataset.step")
        if int(step) != SHOWN_STEP:
            raise RuntimeError(f"the page shows step {step}, not {SHOWN_STEP}")
        png.write_bytes(driver.get_screenshot_as_png())
    finally:
        driver.quit()


def main() -> int:
    """Write both pictures and the manifest; print what was written."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    svg = save(backward_diagram(), IMAGES / "backward.svg")
    with tempfile.TemporaryDirectory() as folder:
        page = stepper().save(Path(folder) / "steps.html")
        screenshot(page, IMAGES / "stepper.png")
    sources = decided()
    manifest = {name: {"decided_sha256": sha256(sources[name]),
                       "file_sha256": sha256((IMAGES / name).read_bytes())}
                for name in sorted(sources)}
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for path in (Path(svg), IMAGES / "stepper.png", MANIFEST):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
