"""The step-by-step page in a real browser: headless Chromium driven by Selenium.

Three pages -- seed002 (27 steps), a labelled 9-node expression, and a 2-16-16-1 MLP collapsed
one neuron per step -- each at 1400x1000, 1280x720 and 800x900: at the first, a middle and the
last step the step's op, its output and its inputs lie inside the figure's visible box (the
figure scrolls or shrinks, never the page: scrollY stays 0); texts are at least 11 px high at
100 %; a small graph starts fitted whole and the fit / 100 % button switches; under 1000 px
the panel stacks under the figure; every `#N` name in a formula is the name of a box on the
page; the controls stay visible; keys and buttons move; no console error; no network request.
An exported notebook with a stepper opens at the top (scrollY == 0). Needs Chromium (see
browser_support.py).
"""
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import nn
from autograd import Value
from autograd.diagram import step_backward
from autograd.diagram.step_units import DETAIL
from autograd.examples import seed002_net221_sgd
from browser_support import (VIEWPORTS, console_errors, go_to, js, press, requested_urls,
                             set_viewport, start_browser, step)

MIN_TEXT_PX = 11.0
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    driver.quit()


def seed002_stepper():
    stage = seed002_net221_sgd.build().stages[0]
    stage.run()
    return step_backward(stage.root, params=stage.params, inputs=stage.inputs,
                         title=seed002_net221_sgd.NAME)


def expression_stepper():
    """L = (a*b + c)*f + k: nine labelled nodes."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    f, k = Value(-2.0, label="f"), Value(4.0, label="k")
    e = (a * b).named("e")
    d = (e + c).named("d")
    m = (d * f).named("m")
    loss = (m + k).named("L")
    loss.backward()
    return step_backward(loss, title="L = (a*b + c)*f + k")


def mlp_stepper():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    x = [Value(0.5, label="x1", requires_grad=False), Value(-1.0, label="x2", requires_grad=False)]
    loss = ((model(x) - 1.0) ** 2).named("loss")
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # collapsed, it has few enough steps: no warning
        return step_backward(loss, params=model, inputs=x, collapse=4,
                             title="2-16-16-1 MLP, a neuron per step")


BUILD = {"seed002": seed002_stepper, "expr9": expression_stepper, "mlp": mlp_stepper}


@pytest.fixture(scope="module", params=list(BUILD))
def saved(request, tmp_path_factory):
    stepper = BUILD[request.param]()
    return request.param, stepper, stepper.save(tmp_path_factory.mktemp(request.param) / "s.html")


@pytest.fixture(params=VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def page(request, browser, saved):
    name, stepper, path = saved
    set_viewport(browser, *request.param)
    console_errors(browser), requested_urls(browser)  # start with empty logs
    browser.get(path.as_uri())
    return browser, stepper, path, name, request.param


@pytest.fixture
def wide_page(browser, saved):
    """The page at 1400x1000 only: for what does not depend on the viewport."""
    name, stepper, path = saved
    set_viewport(browser, 1400, 1000)
    console_errors(browser), requested_urls(browser)
    browser.get(path.as_uri())
    return browser, stepper, path, name, (1400, 1000)


def step_box(driver, near):
    """The step's elements (all of the current node's, its inputs' records) and the figure's
    visible box, in viewport pixels."""
    return js(driver, """
        var near = arguments[0], fig = document.querySelector('.tg-figure');
        var els = Array.from(document.querySelectorAll('.tg-stepper .tgn' + near[0]));
        near.slice(1).forEach(function (j) {
            var r = document.querySelector('[id$="-v' + j + '"]'); if (r) els.push(r); });
        var f = fig.getBoundingClientRect();
        var boxes = els.map(function (e) { var r = e.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom, r.width, r.height]; })
            .filter(function (b) { return b[4] > 0 || b[5] > 0; });
        return {boxes: boxes, fig: [f.left, f.top, f.left + fig.clientWidth, f.top + fig.clientHeight],
                scrollY: window.scrollY};""", near)


def check_step_in_view(driver, stepper, k):
    box = step_box(driver, stepper.data["near"][k])
    assert box["boxes"], f"nothing drawn for step {k}"
    fl, ft, fr, fb = box["fig"]
    for l, t, r, b, _, _ in box["boxes"]:
        assert fl - 1.5 <= l and r <= fr + 1.5 and ft - 1.5 <= t and b <= fb + 1.5, (k, box)
    assert box["scrollY"] == 0  # the page itself never moves


def test_the_step_op_output_and_inputs_are_in_the_figures_view(page):
    driver, stepper, _, _, _ = page
    steps = len(stepper.frames)
    assert js(driver, "return window.scrollY") == 0  # not on first render either
    for k in (0, steps // 2, steps - 1):
        go_to(driver, k)
        assert step(driver) == k
        check_step_in_view(driver, stepper, k)
    press(driver, "\ue011")  # Home, then keys: the page must not scroll with them
    for _ in range(3):
        press(driver, "\ue014")
    assert step(driver) == 3
    check_step_in_view(driver, stepper, 3)


def test_text_is_readable_at_100_percent_and_controls_stay_visible(page):
    driver, stepper, _, name, (width, _) = page
    if js(driver, "return document.querySelector('.tg-stepper').dataset.zoom") == "fit":
        driver.find_element("css selector", ".tg-zoom").click()
    assert js(driver, "return document.querySelector('.tg-stepper').dataset.zoom") == "100"
    go_to(driver, 0)  # the root's step: small enough to show at 100 %
    sizes = js(driver, """
        return Array.from(document.querySelectorAll('.tg-figure svg text')).filter(function (t) {
            var s = getComputedStyle(t);
            return s.display !== 'none' && s.visibility !== 'hidden' && t.textContent.trim();
        }).map(function (t) { return t.getBoundingClientRect().height; });""")
    # 0.01 px: a box scaled by 0.99999 (Debian's dot lays the MLP out a hair larger) is 11 px
    assert len(sizes) > 10 and min(sizes) >= MIN_TEXT_PX - 0.01, min(sizes)
    fonts = js(driver, """
        return Array.from(document.querySelectorAll('.tg-controls, .tg-controls *, .tg-panel div'))
            .map(function (e) { return parseFloat(getComputedStyle(e).fontSize); });""")
    assert min(fonts) >= MIN_TEXT_PX
    assert js(driver, "return document.querySelectorAll('h1').length") == 1  # one title
    js(driver, "window.scrollTo(0, 100000); var f = document.querySelector('.tg-figure');"
               "f.scrollTop = 100000; f.scrollLeft = 100000;")
    bar = js(driver, "var r = document.querySelector('.tg-controls').getBoundingClientRect();"
                     "return [r.top, r.bottom, window.innerHeight];")
    assert 0 <= bar[0] and bar[1] <= bar[2], bar
    # the panel beside the figure on a wide page, under it below 1000 px
    fig, panel = js(driver, "function r(s) { var b = document.querySelector(s)"
                            ".getBoundingClientRect(); return [b.left, b.top, b.bottom]; }"
                            "return [r('.tg-figure'), r('.tg-panel')];")
    if width < 1000:
        assert panel[1] >= fig[2] - 1 and abs(panel[0] - fig[0]) < 2
    else:
        assert panel[0] > fig[0] + 100 and abs(panel[1] - fig[1]) < 2


def test_a_small_graph_starts_whole_and_the_zoom_button_switches(page):
    driver, stepper, _, name, _ = page
    zoom = lambda: js(driver, "return document.querySelector('.tg-stepper').dataset.zoom")  # noqa: E731
    size = lambda: js(driver, "var r = document.querySelector('.tg-figure svg')"  # noqa: E731
                              ".getBoundingClientRect(); return [r.width, r.height];")
    fig = js(driver, "var f = document.querySelector('.tg-figure');"
                     "return [f.clientWidth, parseFloat(getComputedStyle(f).maxHeight)];")
    if name == "expr9":
        assert zoom() == "fit"
        w, h = size()
        assert w <= fig[0] + 1 and h <= fig[1] + 1  # the whole figure in its box
        driver.find_element("css selector", ".tg-zoom").click()
        assert zoom() == "100" and size()[0] > w * 1.5
        driver.find_element("css selector", ".tg-zoom").click()
        assert zoom() == "fit" and size()[0] == pytest.approx(w, abs=1)
    else:
        assert zoom() == "100"  # big figures start readable, scrolled to the step


def test_every_hash_name_in_a_formula_is_a_box_on_the_page(wide_page):
    driver, stepper, _, name, _ = wide_page
    boxes = set(js(driver, "return Array.from(document.querySelectorAll('.tgv text'))"
                           ".map(function (t) { return t.textContent.trim(); });"))
    formulas = js(driver, "return Array.from(document.querySelectorAll('.edge text'))"
                          ".map(function (t) { return t.textContent; });")
    # the panel's lines, but not a group's folded scalar steps: their nodes are in its box
    formulas += [line for page_ in stepper.panel for line in page_ if not line.startswith(DETAIL)]
    used = {token for text in formulas for token in re.findall(r"#\d+", text)}
    if name != "expr9":
        assert used, "no unlabelled node named in any formula"
    assert used <= boxes, used - boxes
    # and the one exponent notation
    assert not any("²" in text for text in formulas)


def test_first_middle_last_step_by_keys_and_buttons(wide_page):
    driver, stepper, _, _, _ = wide_page
    pages = stepper.pages
    press(driver, "\ue011")  # Home
    assert step(driver) == 0
    assert js(driver, "return document.querySelector('.tg-prev').disabled") is True
    for _ in range(3):
        driver.find_element("css selector", ".tg-next").click()
    press(driver, "\ue014")  # ArrowRight
    assert step(driver) == 4
    driver.find_element("css selector", ".tg-prev").click()
    assert step(driver) == 3
    press(driver, "\ue010")  # End: the summary page
    assert step(driver) == pages - 1
    assert js(driver, "return document.querySelector('.tg-next').disabled") is True
    lines = js(driver, "return Array.from(document.querySelectorAll('.tg-panel div'))"
                       ".map(function (d) { return d.textContent; });")
    assert lines == stepper.panel[-1] and lines[0].startswith("summary: the gradient of every")
    assert js(driver, "return document.querySelector('.tg-caption').textContent") == lines[0]
    press(driver, "\ue012")  # ArrowLeft
    assert step(driver) == pages - 2
    panel = js(driver, "return document.querySelector('.tg-panel div').textContent")
    assert panel == js(driver, "return document.querySelector('.tg-caption').textContent")


def test_pending_ops_are_grey_and_done_ones_coloured(wide_page):
    driver, _, _, _, _ = wide_page
    press(driver, "\ue011")  # Home: everything but the root is pending
    fills = js(driver, """
        function fill(sel) { var e = document.querySelector(sel); return e && getComputedStyle(e).fill; }
        return [fill('.tgo.tg-pending ellipse'), fill('.tgo.tg-current ellipse')];""")
    assert fills[0] == "rgb(248, 248, 248)" and fills[1] == "rgb(255, 242, 204)", fills


def test_no_console_errors_and_no_network_requests(page):
    driver, _, path, _, _ = page
    go_to(driver, 2)
    assert console_errors(driver) == []
    assert requested_urls(driver) <= {path.as_uri()}


def test_an_exported_notebook_with_a_stepper_opens_at_the_top(browser, tmp_path):
    notebook = ROOT / "notebooks" / "01_quickstart.ipynb"
    assert "tg-stepper" in notebook.read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html",
                           "--output-dir", str(tmp_path), str(notebook)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    html_file = tmp_path / "01_quickstart.html"
    set_viewport(browser, 1400, 1000)
    console_errors(browser)
    browser.get(html_file.as_uri())
    js(browser, "return new Promise(function (ok) { setTimeout(ok, 300); })")
    assert js(browser, "return document.querySelectorAll('.tg-stepper').length") >= 1
    assert js(browser, "return window.scrollY") == 0
    assert js(browser, "return document.documentElement.scrollHeight") > 1000  # a long page
    assert [e for e in console_errors(browser) if "tg-" in e["message"]] == []
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_an_address_with_a_step_opens_that_step(browser, saved):
    _, stepper, path = saved
    set_viewport(browser, 1400, 1000)
    browser.get(path.as_uri() + "#step=5")  # how a graded report's row links to its step
    assert step(browser) == 5
    check_step_in_view(browser, stepper, 5)
    js(browser, "location.hash = 'step=2'")
    js(browser, "return new Promise(function (ok) { setTimeout(ok, 100); })")
    assert step(browser) == 2
