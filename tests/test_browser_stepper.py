"""The step-by-step page in a real browser: headless Chromium driven by Selenium.

On seed002's page (31 steps) and a 2-16-16-1 MLP's (711 steps), at a 1400x1000 viewport:
every text is at least 11 px high, the current node is inside the viewport at the first, a
middle and the last step (reached by keys and by buttons), the controls stay visible after
scrolling, the side panel's numbers are the engine's, and the page logs no console error and
makes no network request. Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages
chromium, chromium-driver; `.ci/run` installs them): in CI (the CI variable set) their absence
FAILS the tests; elsewhere it skips them with the reason.
"""
import json
import os
import re
import shutil

import pytest

import nn
from autograd import Value
from autograd.diagram import step_backward
from autograd.examples import seed002_net221_sgd

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WIDTH, HEIGHT = 1400, 1000
MIN_TEXT_PX = 11.0


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    return ""


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={WIDTH},{HEIGHT}", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    # The viewport itself is 1400x1000 (a window of that size has a smaller viewport).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1,
                            "mobile": False})
    yield driver
    driver.quit()


def seed002_stepper():
    stage = seed002_net221_sgd.build().stages[0]
    stage.run()
    return step_backward(stage.root, params=stage.params, title=seed002_net221_sgd.NAME)


def mlp_stepper():
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)
    x = [Value(0.5, label="x1", requires_grad=False), Value(-1.0, label="x2", requires_grad=False)]
    loss = ((model(x) - 1.0) ** 2).named("loss")
    loss.backward()
    return step_backward(loss, params=model, title="2-16-16-1 MLP")


@pytest.fixture(scope="module", params=["seed002", "mlp"])
def page(request, browser, tmp_path_factory):
    stepper = seed002_stepper() if request.param == "seed002" else mlp_stepper()
    path = stepper.save(tmp_path_factory.mktemp(request.param) / "steps.html")
    browser.get_log("browser"), browser.get_log("performance")  # start with empty logs
    browser.get(path.as_uri())
    return browser, stepper, path


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def step(driver) -> int:
    return int(js(driver, "return document.querySelector('.tg-stepper').dataset.step"))


def press(driver, key):
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(driver).send_keys(key).perform()


def click(driver, selector):
    driver.find_element("css selector", selector).click()


def check_current_node_visible(driver, k):
    """The current node's record lies inside the viewport and inside the scrolling figure."""
    box = js(driver, """
        var el = document.querySelector('.tgv.tg-current'), fig = document.querySelector('.tg-figure');
        if (!el) return null;
        var r = el.getBoundingClientRect(), f = fig.getBoundingClientRect();
        return {l: r.left, t: r.top, r: r.right, b: r.bottom,
                fl: f.left, ft: f.top, fr: f.right, fb: f.bottom,
                w: window.innerWidth, h: window.innerHeight};""")
    assert box is not None, f"no current node at step {k}"
    assert 0 <= box["l"] and box["r"] <= box["w"] and 0 <= box["t"] and box["b"] <= box["h"], box
    assert box["fl"] - 1 <= box["l"] and box["r"] <= box["fr"] + 1, box
    assert box["ft"] - 1 <= box["t"] and box["b"] <= box["fb"] + 1, box


def check_panel_is_the_engine(driver, stepper, k):
    """The panel's heading and gradient are frame k's node and the engine's gradient."""
    lines = js(driver, "return Array.from(document.querySelectorAll('.tg-panel div'))"
                       ".map(function (d) { return d.textContent; });")
    assert lines == stepper.panel[k]
    assert lines[0].startswith(f"step {k + 1} of {len(stepper.frames)}: ")
    node = stepper.frames[k].node
    m = re.fullmatch(r"dL/d\S+ = (\S+)", lines[1])
    if node.requires_grad or not node.is_leaf:
        assert m, lines
        assert float(m.group(1)) == pytest.approx(node.grad, rel=5e-4, abs=1e-12)
    for line in lines[2:]:  # every product written out is the engine's local times its grad
        nums = re.fullmatch(r"dL/d\S+ \+= .* = (\S+) × (\S+) = (\S+)", line)
        if nums:
            local, g, product = (float(v) for v in nums.groups())
            assert product == pytest.approx(local * g, rel=1e-3)


def test_text_is_readable_and_controls_stay_visible(page):
    driver, stepper, _ = page
    sizes = js(driver, """
        return Array.from(document.querySelectorAll('.tg-figure svg text')).filter(function (t) {
            return getComputedStyle(t).display !== 'none' && t.textContent.trim();
        }).map(function (t) { return t.getBoundingClientRect().height; });""")
    assert len(sizes) > 20 and min(sizes) >= MIN_TEXT_PX, min(sizes)
    fonts = js(driver, """
        return Array.from(document.querySelectorAll('.tg-controls, .tg-controls *, .tg-panel div'))
            .map(function (e) { return parseFloat(getComputedStyle(e).fontSize); });""")
    assert min(fonts) >= MIN_TEXT_PX
    assert js(driver, "return document.querySelectorAll('h1').length") == 1  # one title
    title = js(driver, "return document.querySelector('h1').textContent")
    assert js(driver, "var title = arguments[0];"
                      "return Array.from(document.querySelectorAll('svg text')).filter(function (t)"
                      " { return t.textContent.trim() === title; }).length", title) == 0
    js(driver, "window.scrollTo(0, 100000); var f = document.querySelector('.tg-figure');"
               "f.scrollTop = 100000; f.scrollLeft = 100000;")
    bar = js(driver, "var r = document.querySelector('.tg-controls').getBoundingClientRect();"
                     "return [r.top, r.bottom, window.innerHeight];")
    assert 0 <= bar[0] and bar[1] <= bar[2], bar


def test_first_middle_last_step_by_keys_and_buttons(page):
    driver, stepper, _ = page
    n = len(stepper.frames)
    press(driver, "\ue011")  # Home
    assert step(driver) == 0
    assert js(driver, "return document.querySelector('.tg-prev').disabled") is True
    check_current_node_visible(driver, 0)
    check_panel_is_the_engine(driver, stepper, 0)
    for _ in range(3):
        click(driver, ".tg-next")
    press(driver, "\ue014")  # ArrowRight
    assert step(driver) == 4
    click(driver, ".tg-prev")
    assert step(driver) == 3
    middle = n // 2
    if n < 60:  # seed002: walk there with the button
        for _ in range(middle - 3):
            click(driver, ".tg-next")
    else:  # the MLP: drag the slider there (as a user would), then one key and one button
        js(driver, "var s = document.querySelector('input[type=range]'); s.value = arguments[0];"
                   "s.dispatchEvent(new Event('input'));", middle - 1)
        press(driver, "\ue014")
    assert step(driver) == middle
    check_current_node_visible(driver, middle)
    check_panel_is_the_engine(driver, stepper, middle)
    press(driver, "\ue010")  # End
    assert step(driver) == n - 1
    assert js(driver, "return document.querySelector('.tg-next').disabled") is True
    check_current_node_visible(driver, n - 1)
    check_panel_is_the_engine(driver, stepper, n - 1)
    press(driver, "\ue012")  # ArrowLeft
    assert step(driver) == n - 2
    check_current_node_visible(driver, n - 2)


def test_pending_ops_are_grey_and_done_ones_coloured(page):
    driver, _, _ = page
    press(driver, "\ue011")  # Home: everything but the root is pending
    fills = js(driver, """
        function fill(sel) { var e = document.querySelector(sel); return e && getComputedStyle(e).fill; }
        return [fill('.tgo.tg-pending ellipse'), fill('.tgo.tg-current ellipse')];""")
    assert fills[0] == "rgb(248, 248, 248)" and fills[1] == "rgb(255, 242, 204)", fills


def test_no_console_errors_and_no_network_requests(page):
    driver, _, path = page
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    assert urls <= {path.as_uri()}, urls
