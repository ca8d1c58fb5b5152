"""Course platforms: the Gradescope autograder zip run against a stand-in /autograder folder, and
the PrairieLearn question's generate/grade called with data shaped as PrairieLearn passes it.

The autograder's wheel is installed (no dependencies, no network) into a folder that is the
only teachgrad on the grader's path, so the zip is tested as Gradescope would run it.
"""
import json
import os
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from optional import require

from autograd.cli import main
from autograd.sheets import find_sheet
from autograd.sheets.files import LIBRARY
from autograd.sheets.gradescope import write_autograder
from autograd.sheets.variantcode import variant_code

SEED002 = LIBRARY / "seed002.toml"
SEED002_ANSWERS = LIBRARY / "seed002.answers.toml"
REPO = Path(__file__).resolve().parents[1]

VARIANT_SHEET = """title = "A neuron with drawn weights"
digits = 4
[inputs]
x0 = -1.0
x1 = -2.0
[params]
w0 = { min = -3.0, max = 3.0, step = 0.5 }
w1 = -3.0
w2 = { min = -2.0, max = 2.0, step = 0.25 }
[nodes]
dot = "w0*x0 + w1*x1 + w2"
f = "sigmoid(dot)"
[ask]
values = ["dot", "f"]
grads = ["w0", "w2", "x0"]
[grading]
points = { f = 2, "df/dw0" = 3 }
"""


@pytest.fixture(scope="module")
def grader_site(tmp_path_factory):
    """The autograder zip for seed002, unzipped as /autograder/source, and its wheel installed
    into a private site folder (pip, no dependencies, no index)."""
    base = tmp_path_factory.mktemp("gs")
    zip_path = base / "autograder.zip"
    assert main(["sheet", "gradescope", "seed002", "--out", str(zip_path), "--visibility",
                 "after_published"]) == 0
    source = base / "source"
    with zipfile.ZipFile(zip_path) as z:
        names = set(z.namelist())
        z.extractall(source)
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
    wheel = next(n for n in names if n.endswith(".whl"))
    assert {"setup.sh", "run_autograder", "sheet.toml", "autograder.json"} <= names
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111  # executable
    assert f"./{wheel}" in (source / "setup.sh").read_text()  # installs the wheel in the zip
    site = base / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(site), str(source / wheel)], check=True)
    return source, site


def _run(source, site, root, answers_files, metadata=None):
    """Lay out ROOT like /autograder and run the zip's run_autograder there."""
    root.mkdir()
    (root / "source").symlink_to(source)
    submission = root / "submission"
    submission.mkdir()
    for name, text in answers_files.items():
        (submission / name).write_text(text)
    if metadata is not None:
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(site), TEACHGRAD_AUTOGRADER_ROOT=str(root), PYTHONNOUSERSITE="1")
    done = subprocess.run(["bash", str(source / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_gradescope_autograder_grades_a_submission(grader_site, tmp_path):
    source, site = grader_site
    data = _run(source, site, tmp_path / "ag", {"answers.toml": SEED002_ANSWERS.read_text()})
    assert len(data["tests"]) == 22  # one per asked quantity
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]), abs=1e-12)
    assert all(t["visibility"] == "after_published" for t in data["tests"])
    slips = [t for t in data["tests"] if t["score"] == 0.0]
    assert slips and all(t["max_score"] == 1.0 for t in data["tests"])
    first = next(t for t in data["tests"] if t["name"] == "value of a1_2")
    assert first["score"] == 0.0 and "slip" in first["output"]
    assert "from your own numbers sigmoid(z1_2) gives" in first["output"]  # the ECF explanation
    assert data["score"] == 13.0  # as `teachgrad sheet grade` scores this file: 13 of 22 points
    assert "first slip: value of a1_2" in data["output"]


def test_gradescope_autograder_never_crashes_on_a_bad_submission(grader_site, tmp_path):
    source, site = grader_site
    two = _run(source, site, tmp_path / "two", {"a.toml": "", "b.toml": ""})
    assert two["score"] == 0.0 and "exactly one answers .toml file (found: a.toml, b.toml)" in two["output"]
    bad = _run(source, site, tmp_path / "bad", {"a.toml": '[values]\nnope = "1"\n'})
    assert bad["score"] == 0.0 and "no quantity 'nope'" in bad["output"]


def test_gradescope_roster_and_points(tmp_path):
    sheet_file = tmp_path / "neuron.toml"
    sheet_file.write_text(VARIANT_SHEET)
    roster = tmp_path / "roster.csv"
    roster.write_text("name,id,email\nAda,s1,ada@example.org\nBob,s2,bob@example.org\n")
    zip_path = tmp_path / "ag.zip"
    assert main(["sheet", "gradescope", str(sheet_file), "--roster", str(roster), "--out",
                 str(zip_path)]) == 0
    root = tmp_path / "root"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(root / "source")
    rows = (root / "source" / "roster.csv").read_text().splitlines()
    bob_seed = int(rows[2].split(",")[2])
    problem = find_sheet(sheet_file).problem(bob_seed)
    answers = (f'[values]\nf = "{problem.values["f"]:.4g}"\n'
               f'[grads]\nw0 = "{problem.grads["w0"]:.4g}"\n')
    (root / "submission").mkdir()
    (root / "submission" / "bob.toml").write_text(answers)
    (root / "submission_metadata.json").write_text(json.dumps(
        {"users": [{"email": "BOB@example.org", "name": "Bob", "sid": "s2"}]}))
    from autograd.sheets.gradescope import run
    data = run(root)  # in-process: the same code run_autograder runs
    by_name = {t["name"]: t for t in data["tests"]}
    assert by_name["value of f"]["max_score"] == 2 and by_name["value of f"]["score"] == 2
    assert by_name["df/dw0"]["max_score"] == 3 and by_name["df/dw0"]["score"] == 3
    assert by_name["value of dot"]["score"] == 0  # missing
    assert data["score"] == 5


# --- PrairieLearn ----------------------------------------------------------------------------

class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.panels = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "pl-number-input":
            self.inputs.append(dict(attrs))
        elif tag.startswith("pl-") and tag.endswith("-panel"):
            self.panels.append(tag)


SERVER_CALL = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("server", sys.argv[1])
server = importlib.util.module_from_spec(spec)
spec.loader.exec_module(server)
data = json.loads(sys.stdin.read())
getattr(server, sys.argv[2])(data)
import autograd
data["engine_file"] = autograd.__file__
print(json.dumps(data))
"""


def _call(folder, function, data):
    """server.FUNCTION(data) in a fresh Python that has no teachgrad but the folder's lib/."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-I", "-c", SERVER_CALL, str(folder / "server.py"),
                           function], input=json.dumps(data), capture_output=True, text=True,
                          env=env, cwd=folder, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert Path(out.pop("engine_file")).is_relative_to(folder / "lib")  # the vendored engine
    return out


@pytest.fixture(scope="module")
def question(tmp_path_factory):
    base = tmp_path_factory.mktemp("pl")
    sheet_file = base / "neuron.toml"
    sheet_file.write_text(VARIANT_SHEET)
    folder = base / "question"
    assert main(["sheet", "prairielearn", str(sheet_file), "--out", str(folder)]) == 0
    return folder, sheet_file


def _empty(seed):
    # the keys PrairieLearn's data dict has when it calls generate()
    return {"params": {}, "correct_answers": {}, "variant_seed": seed, "options": {}}


def test_prairielearn_folder_and_generate(question):
    folder, sheet_file = question
    info = json.loads((folder / "info.json").read_text())
    assert info["title"] == "A neuron with drawn weights" and info["type"] == "v3"
    assert info["topic"] == "Backpropagation" and "teachgrad" in info["tags"]
    assert len(info["uuid"]) == 36
    parser = _Inputs()
    html = (folder / "question.html").read_text()
    parser.feed(html)
    assert [i["answers-name"] for i in parser.inputs] == [
        "value_dot", "value_f", "grad_x0", "grad_w0", "grad_w2"]
    assert all(i["comparison"] == "sigfig" and i["digits"] == "4" for i in parser.inputs)
    assert parser.panels == ["pl-question-panel", "pl-answer-panel"]
    data = _call(folder, "generate", _empty(42))
    problem = find_sheet(sheet_file).problem(42)
    assert data["params"]["w0"] == f"{problem.values['w0']:.15g}" and data["params"]["seed"] == 42
    assert data["correct_answers"]["grad_w0"] == pytest.approx(problem.grads["w0"], rel=1e-12)
    chevron = require("chevron", 'pip install -e ".[test]"')  # PrairieLearn's mustache renderer
    shown = chevron.render(html, data)
    assert f"w0 = {data['params']['w0']}" in shown and "{{" not in shown


def _submit(data, typed):
    return dict(data, submitted_answers={k: float(v) for k, v in typed.items()},
                raw_submitted_answers=dict(typed), partial_scores={}, score=0, feedback={},
                format_errors={})


def test_prairielearn_grade_right_carried_and_slip(question):
    folder, sheet_file = question
    data = _call(folder, "generate", _empty(7))
    p = find_sheet(sheet_file).problem(7)
    right = {"value_dot": f"{p.values['dot']:.4g}", "value_f": f"{p.values['f']:.4g}",
             "grad_w0": f"{p.grads['w0']:.4g}", "grad_w2": f"{p.grads['w2']:.4g}",
             "grad_x0": f"{p.grads['x0']:.4g}"}
    graded = _call(folder, "grade", _submit(data, right))
    assert graded["score"] == pytest.approx(1.0, abs=1e-12)
    assert graded["partial_scores"]["value_f"]["weight"] == 2
    assert graded["partial_scores"]["grad_w0"] == {"score": 1.0, "weight": 3.0,
                                                   "feedback": graded["feedback"]["grad_w0"]}
    # a wrong dot, carried forward correctly into f: dot is the slip, f gets full credit
    from autograd import Value
    wrong_dot = p.values["dot"] + 1.0
    carried = dict(right, value_dot=f"{wrong_dot:.4g}",
                   value_f=f"{Value(wrong_dot).sigmoid().data:.4g}")
    graded = _call(folder, "grade", _submit(data, carried))
    assert graded["partial_scores"]["value_dot"]["score"] == 0.0
    assert graded["partial_scores"]["value_f"]["score"] == 1.0
    assert "error carried forward" in graded["feedback"]["value_f"]
    # a slip in a gradient only
    slip = dict(right, grad_w2=f"{-p.grads['w2']:.4g}")
    graded = _call(folder, "grade", _submit(data, slip))
    assert graded["partial_scores"]["grad_w2"]["score"] == 0.0 and "slip" in graded["feedback"]["grad_w2"]
    total = sum(v["weight"] for v in graded["partial_scores"].values())
    assert graded["score"] == pytest.approx((total - 1) / total, abs=1e-12)


def test_booklet_code_is_read_back_by_grading(tmp_path):
    sheet_file = tmp_path / "neuron.toml"
    sheet_file.write_text(VARIANT_SHEET)
    p = find_sheet(sheet_file).problem(11)
    answers = tmp_path / "a.toml"
    answers.write_text(f'code = "{variant_code(11).lower()}"\n[values]\nf = "{p.values["f"]:.4g}"\n')
    from autograd.sheets import grade, load_answers
    report = grade(find_sheet(sheet_file), load_answers(answers))
    assert report.seed == 11 and report.entries[1].verdict == "correct"
    answers.write_text('code = "V7-8"\n[values]\nf = "0.5"\n')
    with pytest.raises(ValueError, match="does not check out"):
        load_answers(answers)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2 ** 63 - 1), st.text(max_size=12))
def test_variant_codes_round_trip_and_refuse_anything_else(seed, noise):
    from autograd.sheets.variantcode import CodeError, seed_from_code
    code = variant_code(seed)
    assert seed_from_code(code) == seed and seed_from_code(f" {code.lower()} ") == seed
    try:  # any other text: a CodeError, or (it happens to check out) a valid seed
        read = seed_from_code(noise)
    except CodeError:
        return
    assert 0 <= read < 2 ** 63 and seed_from_code(variant_code(read)) == read
