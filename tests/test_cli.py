"""The command line: `examples list`, `examples run NAME --out DIR` for every example, errors."""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from autograd import examples
from autograd.cli import main


def test_examples_list_names_every_example(capsys):
    assert main(["examples", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == examples.names()
    assert "softmax classifier" in lines[0]


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
    assert "Slips found: 1\n  - stage forward_backward: grad of 'w31-1'" in text
    assert "First slip: step 23, the grad of 'w31-1' (printed -0.00285" in text
    assert " 0.787" in text  # y1-1 at 3 decimals in the forward table


def test_all_stages_draws_each_single_root_stage(tmp_path, capsys):
    assert main(["examples", "run", "seed002", "--out", str(tmp_path), "--all-stages"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{s}_{f}" for s in ("forward_backward", "update")
                           for f in ("forward.svg", "backward.svg", "backward_steps.html"))


@pytest.mark.parametrize("argv, message", [
    (["examples", "run", "nope"], "no worked example named 'nope'"),
    (["examples", "run"], "the following arguments are required: name"),
    (["examples", "run", "seed002", "--precision", "40"], "--precision must be from 0 to 17"),
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
    assert " L =  -8.0000   dL/dL =   1.0000" in capsys.readouterr().out


def test_python_dash_m_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "autograd", "examples", "run", "seed004",
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "All 7 printed numbers match the engine." in result.stdout
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
