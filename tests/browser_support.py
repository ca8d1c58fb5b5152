"""Headless Chromium for the browser tests (tests/test_browser_*.py), driven by Selenium.

Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium, chromium-driver;
`.ci/run` installs them): in CI (the CI variable set) their absence FAILS the tests; elsewhere it
skips them with the reason (the tests/optional.py pattern).
"""
from __future__ import annotations

import json
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# The viewports the stepper must work at: a desktop, a small laptop, a narrow window.
VIEWPORTS = [(1400, 1000), (1280, 720), (800, 900)]


def missing() -> str:
    """Why the browser tests cannot run here ('' when they can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    return ""


def start_browser(width: int = 1400, height: int = 1000):
    """A headless Chromium with browser and network logs, its viewport width x height; skipped
    (or failed in CI) when it cannot run."""
    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver, width: int, height: int) -> None:
    """The viewport itself is width x height (a window of that size has a smaller viewport)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": False})


def js(driver, script, *args):
    """Run `script` in the page and return its value."""
    return driver.execute_script(script, *args)


def press(driver, key) -> None:
    """Type `key` into whatever has the focus (as a user's keyboard does)."""
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(driver).send_keys(key).perform()


def step(driver) -> int:
    """The page the player shows."""
    return int(js(driver, "return document.querySelector('.tg-stepper').dataset.step"))


def go_to(driver, k: int) -> None:
    """Drag the slider to page k (as a user would)."""
    js(driver, "var s = document.querySelector('input[type=range]'); s.value = arguments[0];"
               "s.dispatchEvent(new Event('input'));", k)


def console_errors(driver) -> list:
    """The page's console errors since the last call."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def requested_urls(driver) -> set[str]:
    """Every URL the page asked for since the last call."""
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    return urls
