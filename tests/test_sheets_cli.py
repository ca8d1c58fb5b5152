"""`teachgrad sheet solve|blank|grade` end to end, usage errors (exit 2, one line `error: ...`),
and `examples run` on a sheet."""
import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from autograd import examples
from autograd.cli import main
from autograd.sheets import answers_path, find_sheet

SEED002_ANSWERS = str(answers_path(find_sheet("seed002")))


def test_module_entry_point_solves_a_shipped_sheet():
    done = subprocess.run([sys.executable, "-m", "autograd", "sheet", "solve", "seed004_222"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "    wx = w1*x1 + w2*x2 + w3*x3 = 2*(-1) + (-3)*(-2) + (-3)*1 = 1.000" in done.stdout
    assert "    ∂f/∂w1 = ∂f/∂wx·∂wx/∂w1 = 0.1966·(-1) = -0.1966    [∂wx/∂w1 = x1]" in done.stdout


@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
def test_solve_and_blank_write_files(fmt, tmp_path, capsys):
    out = tmp_path / f"key.{fmt}"
    assert main(["sheet", "solve", "seed002", "--format", fmt, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "0.274811" in text  # L to the sheet's 6 digits
    if fmt == "html":
        assert text.count("<svg") == 1  # the diagram, inline
    elif fmt == "tex":  # LaTeX includes a PDF diagram (an SVG beside it without the typesetter)
        assert {p.name for p in tmp_path.iterdir()} & {"key-diagram.pdf", "key-diagram.svg"}
    else:
        svg = tmp_path / "key.svg"  # the diagram beside the file
        assert ET.parse(svg).getroot().tag.endswith("svg")
    blank = tmp_path / f"blank.{fmt}"
    assert main(["sheet", "blank", "seed002", "--format", fmt, "--out", str(blank)]) == 0
    assert "0.274811" not in blank.read_text(encoding="utf-8")
    assert "wrote" in capsys.readouterr().out


def test_grade_json_csv_gradescope(tmp_path, capsys):
    book, results = tmp_path / "book.csv", tmp_path / "results.json"
    assert main(["sheet", "grade", "seed002", SEED002_ANSWERS, "--json", "--csv", str(book),
                 "--gradescope", str(results)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 1  # always a list, even for one file
    data = data[0]
    assert (data["sheet"], data["seed"], data["student"]) == ("seed002", None, "seed002 printed solution")
    assert data["first_slip"] == {"label": "a1_2", "quantity": "value"}
    assert data["score"] == pytest.approx(13 / 22, abs=1e-12) and data["points"] == 22
    assert [e["verdict"] for e in data["entries"]].count("slip") == 6
    rows = list(csv.DictReader(book.open()))
    assert len(rows) == 1 and rows[0]["slip"] == "6" and rows[0]["first_slip"] == "value of a1_2"
    gs = json.loads(results.read_text())
    assert gs["score"] == 13.0 and len(gs["tests"]) == 22
    assert all(t["max_score"] == 1.0 for t in gs["tests"])
    assert any("slip" in t["output"] for t in gs["tests"])


def test_grade_text_names_the_first_slip_and_explains(capsys):
    assert main(["sheet", "grade", "seed002_update",
                 str(answers_path(find_sheet("seed002_update")))]) == 0
    out = capsys.readouterr().out
    assert "first slip: value of a1_1_new" in out
    assert "b1_2 - lr*g_b1_2 gives 0.342513 from your own numbers: error carried forward" in out


def test_variant_sheet_needs_a_seed(tmp_path, capsys):
    sheet = tmp_path / "v.toml"
    sheet.write_text('[params]\nw = { min = 1.0, max = 9.0, step = 1.0 }\n[nodes]\nf = "w*w"\n'
                     '[ask]\nvalues = ["f"]\n')
    assert main(["sheet", "solve", str(sheet)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert main(["sheet", "solve", str(sheet), "--seed", "5"]) == 0
    first = capsys.readouterr().out
    assert main(["sheet", "solve", str(sheet), "--seed", "5"]) == 0
    assert capsys.readouterr().out == first and "(variant: seed 5)" in first


@pytest.mark.parametrize("argv, message", [
    (["sheet", "solve", "nope"], "error: no sheet file 'nope'"),
    (["sheet", "solve", "seed002", "--format", "docx"], "error: argument --format: invalid choice"),
    (["sheet", "grade", "seed002"], "error: the following arguments are required: answers"),
    (["sheet", "grade", "seed002", SEED002_ANSWERS, SEED002_ANSWERS, "--gradescope", "r.json"],
     "error: --gradescope writes the results of ONE submission"),
    (["sheet", "frob"], "error: argument {solve,blank,grade,variants,gradescope,prairielearn}: invalid choice"),
    (["sheet"], "error: choose an action"),
])
def test_usage_errors_exit_2_with_one_line(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_examples_run_treats_a_sheet_like_an_example(tmp_path, capsys):
    assert "sheet-seed003_q3" in examples.sheet_names()
    assert examples.describe("sheet-seed003_q3").startswith("3-2-1 sigmoid network")
    example = examples.get("sheet-seed003_q3")
    assert example.slips() == [("sheet", "w31_1", "grad")]
    assert main(["examples", "run", "sheet-seed002_update", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "error carried forward" in out and "Slips found: 7" in out
    assert (tmp_path / "backward.svg").exists() and (tmp_path / "backward_steps.html").exists()
    with pytest.raises(KeyError, match="no sheet file"):
        examples.get("sheet-nope")
