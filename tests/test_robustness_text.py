"""Text from a student, a sheet, a file name or a label, with control characters, ANSI escapes,
bidi overrides (U+202E) and NUL, through every output it reaches: the one policy of
autograd.safetext (each such character shown as its escape, tab / newline / CR as a space).

Every output must be inert (no character a terminal or a text renderer would act on, other than
the output's own line breaks) and, where it shows the text, must show the escape, so the
instructor sees what was typed."""
import contextlib
import io
import json
import os
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, explain
from autograd.cli import main
from autograd.diagram import draw, step_backward
from autograd.diagram.graded import report_html
from autograd.grading import Entry, NumberError, Report, parse_number
from autograd.safetext import clean_lines, clean_text
from autograd.sheets import ClassSummary, grade, loads, loads_answers, write_key
from autograd.sheets.key import handout
from autograd.sheets.mathtext import tex_text, to_latex, to_typst, typst_string
from autograd.sheets.typeset import document
from sheet_samples import NEURON

# What an attacker or an accident puts in a name: terminal escapes (clear screen, set the
# window title, BEL), NUL, DEL, C1 CSI, bidi overrides and isolates, zero-width characters,
# a BOM, a line separator, line breaks, and markup each output must escape anyway.
DANGER = ["\x1b[2J", "\x1b]0;pwned\x07", "\x00", "\x7f", "\x9b31m", "\u202e", "\u202d",
          "\u2066", "\u200b", "\ufeff", "\u2028", "\xa0"]
PIECES = DANGER + ["a", "Z", "7", " ", "<b>", "&", "\\", '"', "$", "%", "#", "\r", "\n", "\t"]
texts = st.tuples(st.sampled_from(DANGER), st.lists(st.sampled_from(PIECES), max_size=6)).map(
    lambda t: "".join([t[0], *t[1]]))


def inert(out, breaks="\n"):
    """No character of `out` is one a terminal or renderer acts on (its line breaks aside)."""
    bad = sorted({repr(ch) for ch in out if not ch.isprintable() and ch not in breaks})
    assert not bad, f"{bad} reached the output: {out[:300]!r}"


def escapes(text):
    """The escapes `text`'s dangerous characters are shown as (each output must show them)."""
    return {ch.encode("unicode_escape").decode("ascii") for ch in text
            if not ch.isprintable() and ch not in "\t\n\r"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | texts, st.one_of(st.none(), st.integers(1, 60)))
def test_the_policy_shows_every_unsafe_character_and_changes_nothing_else(text, limit):
    shown = clean_text(text, limit)
    assert shown.isprintable()
    assert clean_text(shown, limit) == shown  # applying it twice changes nothing
    assert limit is None or len(shown) <= limit
    if limit is None:
        assert all(e in shown for e in escapes(text))
        assert clean_lines(text).split("\n") == [clean_text(p, None) for p in text.split("\n")]
    if text.isprintable() and (limit is None or len(text) <= limit):
        assert shown == text  # ordinary text comes back unchanged


@settings(max_examples=60, deadline=None)
@given(texts)
def test_a_label_in_the_paths_table_the_typeset_maths_and_a_number_error(text):
    a = Value(2.0, label=text)
    e = explain((a * a).named("L" + text), a)
    for out in (str(e), e._repr_html_(), repr(e)):
        inert(out)
    assert all(x in str(e) for x in escapes(text))
    for out in (typst_string(text), tex_text(text), to_typst(text), to_latex(text)):
        inert(out, breaks="")
    try:
        parse_number("0.7" + text + "\x00")  # (a trailing space or U+2028 alone is stripped)
    except NumberError as exc:
        inert(str(exc), breaks="")
    else:
        raise AssertionError("a number with a NUL was accepted")


def _toml(text):
    """A TOML basic string holding `text` (JSON's escapes are TOML's for these characters)."""
    return json.dumps(text)


@settings(max_examples=25, deadline=None)
@given(texts, texts, texts)
def test_student_and_sheet_text_in_every_grading_output(student, title, answer):
    student = "s" + student  # a name must not be blank (U+2028 alone is whitespace)
    sheet_text = NEURON.replace('title = "A neuron"',
                                f"title = {_toml(title)}\ntext = {_toml(title + ' body')}")
    sheet = loads(sheet_text, "n.toml")
    report = grade(sheet, loads_answers('[values]\ndot = "9"\n', student=student))
    summary = ClassSummary.of([report])
    outputs = [report.to_text(), repr(report), report.summary(), report.to_html(),
               json.dumps(report.gradescope()), summary.to_text(), summary.to_html(),
               json.dumps(summary.to_json())] + [str(v) for v in report.csv_row().values()]
    for out in outputs:
        inert(out)
    assert all(x in report.to_text() for x in escapes(student))
    problem = sheet.problem()
    keys = [write_key(problem, fmt) for fmt in ("md", "html", "tex")]
    keys.append(document(handout(problem, student=student, code=answer, extra={"ID": answer})))
    for out in keys:
        inert(out)
    # the batch CLI: a file whose name and answer carry the text, an error row for it, the
    # terminal, JSON, CSV and HTML outputs
    with tempfile.TemporaryDirectory() as folder:
        name = "".join(ch for ch in answer if ch not in "/\x00") or "x"
        paths = {}
        for stem, body in (("good", f"student = {_toml(student)}\n[values]\ndot = \"1.000\"\n"),
                           (name, f"[values]\ndot = {_toml('0.7' + answer + chr(0))}\n")):
            paths[stem] = os.path.join(folder, stem + ".toml")
            with open(paths[stem], "w", encoding="utf-8") as handle:
                handle.write(body)
        sheet_file = os.path.join(folder, "sheet.toml")
        with open(sheet_file, "w", encoding="utf-8") as handle:
            handle.write(sheet_text)
        book, page = os.path.join(folder, "book.csv"), os.path.join(folder, "page.html")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["sheet", "grade", sheet_file, *paths.values(), "--summary",
                           "--csv", book, "--html", page])
        assert status == 1  # the bad answer's file is an error row
        with contextlib.redirect_stdout(io.StringIO()) as as_json:
            main(["sheet", "grade", sheet_file, *paths.values(), "--json"])
        with open(book, encoding="utf-8", newline="") as handle:
            csv_text = handle.read()
        with open(page, encoding="utf-8") as handle:
            html_text = handle.read()
    for text in (out.getvalue(), err.getvalue(), as_json.getvalue(), html_text):
        inert(text)
    inert(csv_text, breaks="\r\n")
    terminal = out.getvalue() + err.getvalue()
    assert all(x in terminal for x in escapes(name) | escapes(student))


@settings(max_examples=40, deadline=None)
@given(texts)
def test_a_given_answer_on_the_graded_diagram_and_its_report(text):
    x = Value(2.0, label="x")
    y = (x * x).named("y")
    y.backward()
    grades = Report("t" + text, "s", "student" + text, None,
                    [Entry("x", "grad", text, 4.0, None, "slip", root="y")])
    inert(draw(y, grades=grades).source, breaks="\n\t")  # DOT indents with tabs
    inert(report_html(grades, step_backward(y), "steps.html"))
    assert autograd.safetext.clean_text is clean_text  # the one home
