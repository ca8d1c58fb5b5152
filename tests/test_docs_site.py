"""The documentation site, built with `mkdocs build --strict` and opened in headless Chromium.

Every page loads with no console error and asks for nothing outside the site (it works offline:
no web fonts, no CDN); every internal link and #anchor resolves; the tutorial's embedded
step-by-step player steps (without scrolling the page at load) and shows the engine's
numbers; the search finds `compile`. Needs the docs extra (`pip install -e ".[docs]"`, pulled
in by the test extra) and Chromium (tests/browser_support.py).
"""
from __future__ import annotations

import functools
import html.parser
import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from browser_support import start_browser
from optional import require

require("mkdocs", 'pip install -e ".[docs]"')
require("material", 'pip install -e ".[docs]"')

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1400, 1000


class _Links(html.parser.HTMLParser):
    """The ids and the href/src targets of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key in ("id", "name"):
            if found.get(key) and (key == "id" or tag == "a"):
                self.ids.add(str(found[key]))
        for key in ("href", "src"):
            value = found.get(key)
            if value and tag in ("a", "img", "script", "link", "iframe"):
                self.targets.append(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass


@pytest.fixture(scope="module")
def browser():
    driver = start_browser(WIDTH, HEIGHT)
    yield driver
    driver.quit()


def pages(site: Path) -> list[str]:
    """Every page of the site (relative paths), the 404 page and assets left out."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if p.name != "404.html" and "assets" not in p.parts)


def _network(driver, base: str) -> tuple[list[str], list[str]]:
    """(requests outside the site, failed requests) from the performance log since last read."""
    outside, failed = [], []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith((base, "data:", "blob:", "about:")):
                outside.append(url)
        elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            failed.append(f"{params.get('errorText')} ({params.get('type')})")
        elif message["method"] == "Network.responseReceived":
            response = params["response"]
            if response.get("status", 200) >= 400:
                failed.append(f"{response['status']} {response['url']}")
    return outside, failed


def test_the_site_has_every_page_the_issue_names(site):
    names = set(pages(site))
    for page in ("index.html", "tutorial.html", "instructors.html", "sheets.html", "api.html",
                 "ops.html", "errors.html", "benchmarks.html", "micrograd.html", "design.html",
                 "semantics.html", "notebooks/01_quickstart.html",
                 "notebooks/14_compiled_training.html"):
        assert page in names, page
    api = (site / "api.html").read_text(encoding="utf-8")
    for name in ("autograd.Value", "autograd.compile", "autograd.backward.backward", "nn.MLP",
                 "nn.train.fit", "autograd.diagram.draw.draw", "autograd.sheets.grade.grade"):
        assert f'id="{name}"' in api, name  # the reference is generated from the docstrings
    ops = (site / "ops.html").read_text(encoding="utf-8")
    from autograd import OPS
    assert ops.count("<tr><td><code>") == len(OPS)  # one table row per op row
    assert "<svg" in (site / "design.html").read_text(encoding="utf-8")  # the structure picture


def test_every_internal_link_and_anchor_resolves(site):
    parsed = {}
    for page in pages(site):
        parser = _Links()
        parser.feed((site / page).read_text(encoding="utf-8"))
        parsed[page] = parser
    broken = []
    for page, parser in parsed.items():
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")):
                continue
            path, fragment = urldefrag(target)
            file = (site / page).parent / unquote(path) if path else site / page
            file = file.resolve()
            if file.is_dir():
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{page}: {target} (no such file)")
                continue
            if fragment and file.suffix == ".html":
                key = str(file.relative_to(site.resolve()))
                ids = parsed[key].ids if key in parsed else set()
                if unquote(fragment) not in ids:
                    broken.append(f"{page}: {target} (no #{fragment} there)")
    assert not broken, "\n".join(broken[:20])


def test_every_page_loads_offline_without_console_errors(site, server, browser):
    problems = []
    browser.get_log("browser"), browser.get_log("performance")
    for page in pages(site):
        browser.get(server + page)
        browser.execute_script("return document.readyState")
        errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        outside, failed = _network(browser, server)
        problems += [f"{page}: console: {m}" for m in errors]
        problems += [f"{page}: outside the site: {u}" for u in outside]
        problems += [f"{page}: failed: {f}" for f in failed]
    assert not problems, "\n".join(problems[:20])


def test_the_tutorial_s_player_steps_with_the_engine_s_numbers(server, browser):
    browser.get(server + "tutorial.html")
    state = browser.execute_script(
        "var s = document.querySelector('.tg-stepper');"
        "return [window.scrollY, s.dataset.step, document.querySelector('.tg-caption').textContent];")
    assert state[0] == 0 and state[1] == "0"  # at load: the first step, the page not scrolled
    assert state[2].startswith("step 1 of 9: y")
    next_button = browser.find_element("css selector", ".tg-stepper .tg-next")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", next_button)
    for expected in range(1, 4):
        next_button.click()
        step = browser.execute_script("return document.querySelector('.tg-stepper').dataset.step")
        assert step == str(expected)
    panel = browser.execute_script("return Array.from(document.querySelectorAll('.tg-panel div'))"
                                   ".map(function (d) { return d.textContent; });")
    # step 4 of 9: w2x2 passes 0.2804 back: -1.0 x 0.2804 to w2, 0.75 x 0.2804 to x2
    assert panel[0] == "step 4 of 9: w2x2, dL/dw2x2 = 0.2804"
    assert "-1.0 × 0.2804 = -0.2804" in panel[1] and "0.75 × 0.2804 = 0.2103" in panel[2]


def test_search_finds_compile(server, browser):
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server + "index.html")
    browser.find_element("css selector", "label.md-search__icon, .md-search__input").click()
    box = browser.find_element("css selector", "input.md-search__input")
    box.send_keys("compile")
    results = WebDriverWait(browser, 20).until(
        lambda d: d.find_elements("css selector", ".md-search-result__item a") or False)
    hrefs = [a.get_attribute("href") for a in results]
    assert any("semantics.html" in h or "api.html" in h or "design.html" in h for h in hrefs), hrefs
