"""The command line: `examples list`, `examples run NAME --out DIR` for every example, errors."""
import io
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

import pytest

from autograd import backward, cli, examples
from autograd.cli import main
from autograd.diagram.style import format_number
from autograd.examples import runner


def test_examples_list_names_every_example(capsys):
    assert main(["examples", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines if not line.startswith(" ")]  # not continuations
    assert names == examples.names() + examples.sheet_names()
    assert "softmax classifier" in lines[0]
    assert max(map(len, lines)) <= 80  # a terminal's width: descriptions wrap, indented


@pytest.mark.parametrize("name", examples.names())
def test_examples_run_writes_diagrams_and_exits_0(name, tmp_path, capsys):
    out = tmp_path / name
    assert main(["examples", "run", name, "--out", str(out)]) == 0  # 0 even with slips
    text = capsys.readouterr().out
    assert "forward pass:" in text and "checker, printed solution vs engine:" in text
    assert f"Slips found: {len(examples.get(name).slips())}" in text
    assert str(out.resolve()) in text
    for svg in ("forward.svg", "backward.svg"):
        root = ET.parse(out / svg).getroot()  # well-formed XML
        assert root.tag.endswith("svg")
        assert (out / svg).stat().st_size > 1000
    page = (out / "backward_steps.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and page.count("<svg") == 1
    # one layout, one frame record per backward step (the player's caption list)
    frames = json.loads(re.search(r"D = (\{.*?\}), n =", page).group(1))
    assert len(frames["caps"]) >= 3


def test_run_prints_the_slips_of_seed003(tmp_path, capsys):
    assert main(["examples", "run", "seed003", "--no-diagrams", "--precision", "3"]) == 0
    text = capsys.readouterr().out
    # seed003_net321 is the sheet seed003_q3, whose labels write '_' for the seed's '-'
    assert "Slips found: 1\n  - stage sheet: grad of 'w31_1'" in text
    assert "First slip: step 23, the grad of 'w31_1' (printed -0.00285" in " ".join(text.split())
    assert " 0.787" in text  # y1_1 at 3 decimals in the forward table


def test_all_stages_draws_each_single_root_stage(tmp_path, capsys):
    assert main(["examples", "run", "seed002", "--out", str(tmp_path), "--all-stages"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{s}_{f}" for s in ("forward_backward", "update")
                           for f in ("forward.svg", "backward.svg", "backward_steps.html"))


@pytest.mark.parametrize("argv, message", [
    (["examples", "run", "nope"], "no worked example named 'nope'"),
    (["examples", "run"], "the following arguments are required: name"),
    (["examples", "run", "seed002", "--precision", "40"], "--precision must be from 1 to 17"),
    (["examples", "run", "seed002", "--precision", "0"], "--precision must be from 1 to 17"),
    (["examples", "run", "seed000_softmax", "--stage", "nope"],
     "seed000_softmax has no stage 'nope'; its stages: sample1, sample2, sample3, sample4, batch"),
    (["examples", "run", "all", "--stage", "batch"], "--stage needs one example, not all"),
    (["examples", "run", "seed002", "--format", "xml"], "invalid choice: 'xml'"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_exit_2_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "examples" in capsys.readouterr().err


def test_demo_still_works(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out  # the one number format (4 significant digits)
    assert " L =   -8.0   dL/dL =    1.0" in out and " b =   -3.0   dL/db =   -4.0" in out


def test_python_dash_m_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "autograd", "examples", "run", "seed004",
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert "All 7 printed numbers are correct." in result.stdout
    assert result.returncode == 0, result.stderr
    assert "All 7 printed numbers are correct." in result.stdout
    assert (tmp_path / "backward.svg").exists()


def test_without_a_renderer_the_dot_source_is_written_and_the_fix_is_printed(tmp_path, capsys,
                                                                              monkeypatch):
    import autograd.diagram as diagram
    real_save = diagram.save

    def save_without_renderer(dg, path, format=None):
        if str(path).endswith(".svg"):
            raise diagram.RendererNotFound("no dot executable found; pip install graphviz-pure")
        return real_save(dg, path, format)

    monkeypatch.setattr(diagram, "save", save_without_renderer)
    assert main(["examples", "run", "seed003", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert {"forward.gv", "backward.gv"} <= {p.name for p in tmp_path.iterdir()}
    assert (tmp_path / "forward.gv").read_text().lstrip().startswith("digraph")
    assert "pip install graphviz-pure" in captured.err


# --- the command line as a new user meets it (issue 15) ----------------------------------------
def _run_cli(*args, cwd=None):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120, cwd=cwd)


def test_usage_names_the_program_as_it_was_called():
    script = Path(sys.executable).with_name("teachgrad")  # the console script of this venv
    assert _run_cli(str(script), "--help").stdout.startswith("usage: teachgrad ")
    assert _run_cli(sys.executable, "-m", "autograd", "--help").stdout.startswith(
        "usage: python -m autograd ")


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"], prog="teachgrad")
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"teachgrad {metadata.version('teachgrad')}\n"


def test_examples_without_an_action_prints_the_examples_help(capsys):
    assert main(["examples"], prog="teachgrad") == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: teachgrad examples ")
    assert "list" in err and "run one worked example" in err


def test_a_prefix_of_one_example_runs_it_and_a_prefix_of_several_is_an_error(capsys):
    assert main(["examples", "run", "seed001_j", "--no-diagrams"]) == 0
    assert capsys.readouterr().out.startswith("seed001_jacobians: ")
    with pytest.raises(SystemExit) as exc:
        main(["examples", "run", "seed000"])
    assert exc.value.code == 2
    assert ("'seed000' matches 2 worked examples: seed000_softmax, seed000_net221"
            in capsys.readouterr().err)


def _assert_cannot_write(argv, out, reason, capsys):
    assert main(argv + ["--out", str(out)], prog="teachgrad") == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # checked before any work: no tables printed
    assert captured.err == f"teachgrad: error: cannot write to '{out}': {reason}\n"


def test_an_existing_file_as_output_folder_fails_before_any_work(tmp_path, capsys):
    (tmp_path / "taken").write_text("")
    _assert_cannot_write(["examples", "run", "seed004"], tmp_path / "taken",
                         "it exists and is not a folder", capsys)
    _assert_cannot_write(["examples", "run", "seed004"], tmp_path / "taken" / "below",
                         "Not a directory", capsys)


def test_an_unwritable_output_folder_fails_before_any_work(tmp_path, capsys, monkeypatch):
    # Tests may run as root, for whom permission bits do not stop a write: make the probe fail.
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner.tempfile, "TemporaryFile", refused)
    _assert_cannot_write(["examples", "run", "seed004"], tmp_path, "Permission denied", capsys)


@pytest.mark.parametrize("name", examples.names())
def test_text_report_fits_80_columns_with_the_verdict_first(name, capsys):
    assert main(["examples", "run", name, "--no-diagrams"]) == 0
    text = capsys.readouterr().out
    too_wide = [line for line in text.splitlines() if len(line) > 80]
    assert not too_wide, f"{len(too_wide)} lines over 80 columns, e.g. {too_wide[0]!r}"
    assert text.index("Slips found:") < text.index("forward pass:")
    assert text.index("Slips found:") < text.index("checker, printed solution vs engine:")


def test_stage_prints_and_draws_only_that_stage(tmp_path, capsys):
    assert main(["examples", "run", "seed000_softmax", "--stage", "batch", "--out",
                 str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert text.count("=== stage ") == 1 and "=== stage batch: " in text
    assert len(text.splitlines()) < 700  # the whole example prints over 1,600 lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backward.svg", "backward_steps.html",
                                                          "forward.svg"]


def test_json_format_for_machines(tmp_path, capsys):
    assert main(["examples", "run", "seed003", "--format", "json", "--out", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "seed003_net321"
    assert data["from"] == "homework 003, question 3 (the worksheet seed003_q3)"
    assert data["slips"] == [{"stage": "sheet", "label": "w31_1", "quantity": "grad"}]
    assert data["files"] == ["forward.svg", "backward.svg", "backward_steps.html"]
    assert data["folder"] == str(tmp_path.resolve()) and data["problem"] is None
    (stage,) = data["stages"]
    slip = next(e for e in stage["checked"] if e["verdict"] == "slip")
    assert slip["label"] == "w31_1" and slip["printed"].startswith("-0.00285")
    node = next(n for n in stage["nodes"] if n["label"] == "w31_1")
    assert node["grad"] == pytest.approx(slip["engine"], rel=0, abs=0)  # full floats, no rounding
    assert math.isclose(abs(node["grad"] - float(slip["printed"])), abs(
        slip["engine"] - float(slip["printed"])), rel_tol=1e-12)


def test_all_examples_json_lists_each_once(capsys):
    assert main(["examples", "run", "all", "--format", "json", "--no-diagrams"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in data] == examples.names()
    assert sum(len(d["slips"]) for d in data) == sum(len(examples.get(n).slips())
                                                     for n in examples.names())


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["examples", "run", "seed002", "--all-stages", "--out", str(tmp_path)]) == 0
    # 1 report + 2 drawn stages x 3 files
    assert "examples: 100%" in terminal.getvalue() and "7/7" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert main(["examples", "run", "seed002", "--no-diagrams", "--no-progress"]) == 0
    assert sys.stderr.getvalue() == ""
    monkeypatch.undo()
    assert main(["examples", "run", "seed002", "--no-diagrams"]) == 0  # not a terminal: no bar
    assert capsys.readouterr().err == ""


def test_precision_reaches_the_diagrams(tmp_path, capsys):
    root = runner.drawable_stages(examples.get("seed004"))[0].root
    backward(root)
    for digits in (2, 6):
        assert main(["examples", "run", "seed004", "--precision", str(digits), "--out",
                     str(tmp_path / str(digits))]) == 0
    svg2 = (tmp_path / "2" / "forward.svg").read_text(encoding="utf-8")
    svg6 = (tmp_path / "6" / "forward.svg").read_text(encoding="utf-8")
    assert format_number(root.data, 6) != format_number(root.data, 2)
    assert format_number(root.data, 6) in svg6 and format_number(root.data, 6) not in svg2
    assert format_number(root.data, 2) in svg2


def test_new_sub_commands_are_registered_without_editing_the_cli(monkeypatch, capsys):
    def register(subparsers):
        sub = subparsers.add_parser("hello", help="say hello")
        sub.set_defaults(handler=lambda args: print("hello") or 0)

    monkeypatch.setattr(cli, "REGISTRARS", cli.REGISTRARS + [register])
    assert main(["hello"]) == 0
    assert capsys.readouterr().out == "hello\n"


def test_provenance_is_a_note_not_a_path():
    for name in examples.names():
        source = examples.get(name).source
        assert source.startswith("homework 00") and "/" not in source and ".txt" not in source



def test_ops_lists_every_row_of_the_table_from_the_rows(capsys):
    from autograd import OPS
    from autograd.cli import main
    assert main(["ops"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(map(len, lines)) <= 80  # long rows wrap, continuation lines indented
    lines = [line for line in lines if not line.startswith(" ")]
    assert len(lines) == len(OPS)
    assert any(line.startswith("x.sin()") and "derivative cos(x)" in line for line in lines)
    assert any(line.startswith("x * y") for line in lines)


def test_practice_writes_a_page_for_an_example_and_for_a_sheet(tmp_path, capsys):
    out = tmp_path / "p" / "seed002.html"
    assert main(["practice", "seed002", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert re.fullmatch(r"Practice page \(27 steps, 26 questions\) written to .*seed002\.html\n",
                        said)
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and '"q":[[' in page and '"digits":4' in page
    sheet = tmp_path / "sheet.html"
    assert main(["practice", "sheet-seed002", "--out", str(sheet)]) == 0
    stepper = cli.practice_stepper("sheet-seed002")
    from autograd.sheets import find_sheet
    asked = {q["ask"].split(" = ")[0] for page in stepper.questions for q in page}
    assert asked == {f"dL/d{name}" for name in find_sheet("seed002").grads}
    assert stepper.digits == find_sheet("seed002").digits


@pytest.mark.parametrize("argv, message", [
    (["practice", "nope"], "no worked example named 'nope'"),
    (["practice", "seed002", "--digits", "0"], "--digits must be from 1 to 17"),
    (["practice", "seed000_softmax", "--stage", "nope"], "seed000_softmax has no stage 'nope'"),
])
def test_practice_usage_errors_exit_2(argv, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv + ["--out", str(tmp_path / "x.html")])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
