"""Every Python snippet of the README (and of the documentation pages) runs, and prints what the
page says it prints.

A page's ```python blocks run in order in one namespace (as a reader pasting them into one
session would), in a temporary folder. A ```text block right after a ```python block is that
snippet's output: compared line by line (trailing spaces ignored). A ```toml block that has
`[ask]` is a worksheet: it must load and solve. Hypothesis checks the block parser itself.
"""
from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def blocks(text: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a Markdown text, in order: (language, body)."""
    return [(match.group(1), match.group(2)) for match in FENCE.finditer(text)]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


@pytest.mark.parametrize("page", PAGES)
def test_python_snippets_run_and_print_what_the_page_shows(page, tmp_path, monkeypatch):
    found = blocks((ROOT / page).read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)  # snippets write files (diagrams, weights): not into the clone
    namespace: dict = {"__name__": "__snippet__"}
    ran = 0
    for k, (language, body) in enumerate(found):
        if language != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(body, f"{page} snippet {k + 1}", "exec"), namespace)  # noqa: S102
        ran += 1
        if k + 1 < len(found) and found[k + 1][0] == "text":
            assert _lines(out.getvalue()) == _lines(found[k + 1][1]), f"{page} snippet {k + 1}"
    if page == "README.md":
        assert ran >= 4  # the student's graph, the checker, the engine, nn
        assert (tmp_path / "neuron.svg").read_text(encoding="utf-8").lstrip().startswith("<")
        assert "tg-stepper" in (tmp_path / "neuron_steps.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_worksheet_snippets_load_and_solve(page):
    from autograd.sheets import write_key
    from autograd.sheets.sheet import loads
    for k, (language, body) in enumerate(blocks((ROOT / page).read_text(encoding="utf-8"))):
        if language != "toml" or "[ask]" not in body:
            continue
        sheet = loads(body, source=f"{page} snippet {k + 1}")
        problem = sheet.problem(7)  # a seed: the variant of one student
        key = write_key(problem, "md")
        for name in problem.values:
            assert name in key
        if {"wx", "f"} <= set(problem.values):  # the README's sheet: f = sigmoid(wx)
            wx = problem.values["wx"]
            assert problem.values["f"] == pytest.approx(1.0 / (1.0 + math.exp(-wx)), rel=1e-15)


def test_the_readme_puts_pictures_first_then_students_then_instructors_then_the_engine():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    heads = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert heads[:3] == ["For students", "For instructors", "The engine"]
    first_section = text.index("\n## ")
    assert text.index("docs/images/backward.svg") < first_section
    assert text.index("docs/images/stepper.png") < first_section
    students = text[text.index("## For students"):text.index("## For instructors")]
    for step in ("git clone", "pip install -e .", "examples run", "backward_steps.html", "check("):
        assert step in students, step
    assert len(text.encode("utf-8")) < 13_000  # internals live in the documentation (docs/)


@given(st.lists(st.tuples(st.sampled_from(["python", "text", "toml", "bash", ""]),
                          st.text(st.characters(blacklist_characters="`\r"), max_size=40)
                          .map(lambda s: s.replace("\n", " ") + "\n")), max_size=5))
def test_the_block_parser_finds_every_block_with_its_language_and_body(expected):
    text = "".join(f"para\n\n```{language}\n{body}```\n\n" for language, body in expected)
    assert blocks(text) == expected
