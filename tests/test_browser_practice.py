"""Practice mode in a real browser (headless Chromium, see browser_support.py).

On seed002's practice page: an answer is not in the page's visible text before it is given (at
every viewport); typing the exact value gives `correct`, a sign-flipped one `slip` with the
`sign_flip` diagnosis, one with too few digits `too_few_digits`; the keyboard alone works (Enter
submits, Escape leaves the answer box, the arrows move); the score and the final summary count the slips; no console error,
no network request. The page's own policy (its script) agrees with `autograd.grading.verdict`
on generated answers (hypothesis).
"""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.cli import practice_stepper
from autograd.grading import NumberError, key_number, required_place, verdict
from autograd.misconceptions import diagnose
from browser_support import (VIEWPORTS, console_errors, go_to, js, press, requested_urls,
                             set_viewport, start_browser, step)

ENTER, RIGHT = "\ue007", "\ue014"


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    stepper = practice_stepper("seed002")
    return stepper, stepper.save(tmp_path_factory.mktemp("practice") / "practice.html")


@pytest.fixture
def page(browser, saved):
    stepper, path = saved
    set_viewport(browser, 1400, 1000)
    console_errors(browser), requested_urls(browser)
    browser.get(path.as_uri())
    return browser, stepper, path


def find(stepper, ask):
    """(step, question index, question) of the question `ask`."""
    for k, questions in enumerate(stepper.questions):
        for m, q in enumerate(questions):
            if q["ask"] == ask:
                return k, m, q
    raise KeyError(ask)


def visible_text(driver) -> str:
    return js(driver, "return document.body.innerText")


def answer(driver, text):
    """Type `text` into the focused answer box and press Enter (the keyboard only)."""
    press(driver, text + ENTER)


def verdicts(driver):
    return js(driver, "return Array.from(document.querySelectorAll('.tg-panel .tg-verdict'))"
                      ".map(function (d) { return d.textContent; });")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_the_answer_is_not_visible_before_it_is_given(browser, saved, viewport):
    stepper, path = saved
    set_viewport(browser, *viewport)
    browser.get(path.as_uri())
    k, _, q = find(stepper, "dL/dW2_1 = ?")
    go_to(browser, k)
    text = visible_text(browser)
    assert "dL/dW2_1 = ?" in text
    shown = {q["key"], f"{q['exact']:.4g}", "0.08217"}
    assert not any(s in text for s in shown), [s for s in shown if s in text]
    assert js(browser, "return window.scrollY") == 0
    browser.find_element("css selector", ".tg-reveal").click()
    assert q["key"] in visible_text(browser)


def test_verdicts_and_diagnoses_by_keyboard_only(page):
    driver, stepper, path = page
    k, _, q = find(stepper, "dL/dW2_1 = ?")
    _, _, q2 = find(stepper, "dL/da1_1 = ?")
    press(driver, RIGHT)  # the page has the keyboard: an arrow moves to step 1
    assert step(driver) == 1
    go_to(driver, k)  # then straight to W2_1's step; its first answer box has the focus
    assert js(driver, "return document.activeElement.className") == "tg-input"
    answer(driver, "\u22120.08217")  # a Unicode minus: the sign flipped
    assert verdicts(driver)[-1].startswith("you: \u22120.08217: slip: likely sign flip")
    answer(driver, "0.082")  # 2 significant digits where 4 are asked
    assert "too few digits" in verdicts(driver)[-1]
    answer(driver, "0.08217")
    assert verdicts(driver)[0] == "correct"
    assert js(driver, "return document.activeElement.getAttribute('aria-label')") == q2["ask"]
    # W2_1 answered: its grad field and edge text show; a1_1's stay hidden until answered
    text = visible_text(driver)
    assert "grad so far 0.08217" in text and "0.5933 × 0.1385 = 0.08217" in text
    assert "0.0554" not in text and "before: slip (sign flip), too few digits" in text
    answer(driver, "0.4")  # W2_1 itself: the local derivative without the upstream gradient
    assert "slip: likely no upstream" in verdicts(driver)[-1]
    answer(driver, q2["key"])
    assert verdicts(driver)[-1] == "correct"
    assert js(driver, "return document.activeElement.classList.contains('tg-stepper')")
    score = js(driver, "return document.querySelector('.tg-score').textContent")
    assert score.startswith("score 0 / 2 answered")  # neither right the first time
    assert "0.08217" in visible_text(driver)  # answered: the arithmetic is shown
    press(driver, RIGHT)  # Enter answered the step; now the arrow moves on
    assert step(driver) == k + 1
    assert js(driver, "return document.activeElement.className") == "tg-input"
    press(driver, "\ue00c")  # Escape: out of the answer box, so the keys move again
    press(driver, "\ue010")  # End: the summary lists the missed questions and diagnoses
    summary = js(driver, "return Array.from(document.querySelectorAll('.tg-missed'))"
                         ".map(function (d) { return d.textContent.trim(); });")
    assert summary[0].startswith(f"step {k + 1}: dL/dW2_1: slip (sign_flip), too_few_digits, "
                                 "correct")
    assert summary[1] == f"step {k + 1}: dL/da1_1: slip (no_upstream), correct"
    assert summary[2].startswith("not answered yet: steps 1, 2, 3,") and len(summary) == 3
    assert console_errors(driver) == []
    assert requested_urls(driver) <= {path.as_uri()}


def test_hints_come_in_order_and_a_bad_number_is_explained(page):
    driver, stepper, _ = page
    k, _, q = find(stepper, "dL/dW2_1 = ?")
    go_to(driver, k)
    driver.find_element("css selector", ".tg-hint").click()
    hints = js(driver, "return Array.from(document.querySelectorAll('.tg-hint-text'))"
                       ".map(function (d) { return d.textContent; });")
    assert hints == ["hint: " + q["hints"][0]] and "a1_1" in hints[0]
    driver.find_element("css selector", ".tg-hint").click()
    assert len(js(driver, "return document.querySelectorAll('.tg-hint-text')")) == 2
    driver.find_element("css selector", ".tg-input").click()
    answer(driver, "2^3")
    assert "`^` is not a power" in verdicts(driver)[-1]


@st.composite
def cases(draw):
    """An exact value, the digits asked, and a typed answer near it or not."""
    exact = draw(st.floats(1e-6, 1e6) | st.floats(-1e6, -1e-6))
    digits = draw(st.integers(1, 6))
    kind = draw(st.sampled_from(["near", "rounded", "random"]))
    if kind == "random":
        typed = draw(st.floats(-1e6, 1e6, allow_nan=False))
    else:
        places = draw(st.integers(1, 8)) if kind == "rounded" else 12
        typed = float(f"{exact:.{places}g}") * (1 + draw(st.floats(-1e-3, 1e-3)) * (kind == "near"))
    text = draw(st.sampled_from(["{:.{p}g}", "{:.{p}e}", "{:.{p}f}"])).format(
        typed, p=draw(st.integers(0, 8)))
    return text.replace("-", draw(st.sampled_from(["-", "\u2212"]))), exact, digits


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_the_pages_policy_is_the_graders(browser, saved, case):
    text, exact, digits = case
    stepper, path = saved
    if not browser.current_url.startswith("file:") or "practice" not in browser.current_url:
        browser.get(path.as_uri())
    place = required_place(exact, digits)
    page = js(browser, "return document.querySelector('.tg-stepper').tgJudge"
                       "(arguments[0], arguments[1], arguments[2])", text, exact, place)
    try:
        expected = verdict(text, exact, digits)
    except NumberError:
        expected = "error"
    assert page == expected, (text, exact, digits)
    assert math.isfinite(exact)


def test_the_pages_diagnosis_is_the_catalogues(page):
    """Every embedded wrong number, typed at the asked digits, gets the diagnosis that
    misconceptions.diagnose gives in Python (the first code, in catalogue order, it matches)."""
    driver, stepper, _ = page
    checked = 0
    for questions in stepper.questions:
        for q in questions:
            alts = {code: [x for x, _ in numbers] for code, numbers in q["alts"]}
            for numbers in alts.values():
                for x in numbers:
                    typed = key_number(x, stepper.digits)
                    expected = diagnose(typed, alts, stepper.digits)
                    got = js(driver, "return document.querySelector('.tg-stepper').tgDiagnose"
                                     "(arguments[0], arguments[1])", typed, q["alts"])
                    assert got == expected, (q["ask"], typed)
                    checked += 1
    assert checked > 40


def test_no_open_question_s_answer_stands_in_its_node_s_box(page):
    """At every step, before any answer: the grad field of each node a question asks about shows
    what it had received BEFORE the step, never the asked gradient (step 1 used to show it)."""
    driver, stepper, _ = page
    uid = js(driver, "return document.querySelector('.tg-stepper').id")
    for k, questions in enumerate(stepper.questions):
        if not questions:
            continue
        go_to(driver, k)
        for q in questions:
            field = js(driver, f"var f = document.getElementById('{uid}-g{q['node']}');"
                               " return f ? f.textContent : null;")
            assert field is not None
            received = field.replace("grad so far", "").replace("grad", "").strip()
            if received in ("?", ""):
                continue
            # a number shown there is an earlier use's share, not this step's answer (4 digits)
            assert abs(float(received) - q["exact"]) > 1e-3 * abs(q["exact"]), (k, q["ask"], field)
