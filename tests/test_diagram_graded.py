"""A graded submission drawn on its graph: `draw(root, grades=report)` and `report_html`."""
import re

import pytest

from autograd import Value
from autograd.diagram import draw, step_backward
from autograd.diagram.graded import GREEN, RED, report_html
from autograd.grading import Entry, Report
from autograd.sheets import answers_path, find_sheet, grade, load_answers


def seed002_graded():
    sheet = find_sheet("seed002")
    report = grade(sheet, load_answers(answers_path(sheet)))
    return sheet, sheet.problem(), report


def record(source, label):
    """The DOT statement of the record whose first field is `label`."""
    return next(line for line in source.splitlines() if re.search(rf'label="{{{re.escape(label)} \|', line))


def test_each_asked_node_gets_its_verdicts_colour_and_the_students_number():
    sheet, problem, report = seed002_graded()
    source = draw(problem.root, grades=report, params=problem.params).source
    by = {(e.label, e.quantity): e for e in report.entries}
    slip = by[("W1_11", "grad")]
    assert slip.verdict == "slip"
    line = record(source, "W1_11")
    assert f'fillcolor="{RED["fillcolor"]}"' in line and f"you {slip.given}" in line
    assert "(slip)" in line and "exact 0.000668" in line
    right = next(e for e in report.entries if e.verdict == "correct" and e.quantity == "grad")
    assert f'fillcolor="{GREEN["fillcolor"]}"' in record(source, right.label)
    # a node with a value and a grad entry lists both; the colour is the worse verdict's
    both = by[("a1_2", "value")], by[("a1_2", "grad")]
    line = record(source, "a1_2")
    assert all(f"you {e.given}" in line for e in both) and RED["fillcolor"] in line
    plain = draw(problem.root, params=problem.params).source
    assert "you " not in plain  # without grades= nothing changes


def test_the_students_text_is_escaped_and_bad_grades_are_refused():
    x = Value(2.0, label="x")
    y = (x * x).named("y")
    y.backward()
    entry = Entry("x", "grad", "{4|<y>}", 4.0, None, "slip", root="y")
    source = draw(y, grades=Report("t", "s", "student", None, [entry])).source
    assert "you \\{4\\|\\<y\\>\\}" in source
    with pytest.raises(TypeError, match="grades must be a graded submission"):
        draw(y, grades={"x": 4.0})
    stray = Entry("w", "grad", "1", 4.0, None, "slip", root="y")
    with pytest.raises(ValueError, match="names 1 quantity.*'w'"):
        draw(y, grades=Report("t", "s", "student", None, [stray]))


def test_report_rows_link_to_the_stepper_step_of_their_node():
    sheet, problem, report = seed002_graded()
    stepper = step_backward(problem.root, params=problem.params)
    page = report_html(report, stepper, "steps.html")
    links = re.findall(r'<a href="steps\.html#step=(\d+)">dL/d(\w+)</a>', page)
    assert len(links) == sum(e.quantity == "grad" for e in report.entries)
    for k, label in links:
        assert stepper.frames[int(k)].node.label == label  # the step that finalises its grad
    assert page.count("<tr") == len(report.entries) + 1


def test_the_html_report_draws_each_submission_and_links_rows_to_its_steps(tmp_path, capsys):
    from autograd.cli import main
    sheet = find_sheet("seed002")
    out = tmp_path / "grades.html"
    assert main(["sheet", "grade", "seed002", str(answers_path(sheet)), "--html", str(out)]) == 0
    capsys.readouterr()
    page = out.read_text(encoding="utf-8")
    steps = tmp_path / "grades-steps.html"
    assert steps.exists() and "tg-stepper" in steps.read_text(encoding="utf-8")
    stepper = step_backward(sheet.problem().root)
    for k, name in re.findall(r'<a href="grades-steps\.html#step=(\d+)">dL/d(\w+)</a>', page):
        assert stepper.frames[int(k)].node.label == name
    assert page.count('<a href="grades-steps.html#step=') == len(grade(
        sheet, load_answers(answers_path(sheet))).entries)
    assert page.count("<svg") == 1 and RED["fillcolor"] in page  # the graded graph, inline
