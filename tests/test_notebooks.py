"""The stored notebooks: present, executed top to bottom, readable without a kernel.

nbval (run by `pytest` itself: see `addopts` in pyproject.toml) executes every notebook in
notebooks/ and compares each cell's outputs with the stored ones; the worked-example notebooks
also assert the engine's values and the slips they find, so a notebook that runs is a notebook
whose claims still hold. This file checks what nbval does not: that each notebook is stored
executed (GitHub and an HTML export show the stored outputs, not a live kernel's), in order,
without errors, widgets that need a kernel, absolute paths of this machine, or bulk.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from test_package import MACHINE_PATH

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
REFRESH = "run `python notebooks/refresh.py` to store fresh outputs"
MAX_BYTES = 400_000  # one notebook with its outputs: diagrams as SVG are a few tens of kB each

# The worked-example notebooks (issue 5's, then the ones added since); each must exist (an absent
# file is a failure, not a silently smaller parametrization), and each file must be listed (a new
# notebook is added here on purpose, with its number, not picked up unnoticed).
EXPECTED = [
    "01_quickstart", "02_activations_and_losses", "03_softmax_classifier",
    "04_two_layer_sigmoid_net", "05_neuron", "06_jacobians", "07_bias_trick_regression",
    "08_sgd_step", "09_named_parameters", "10_bce_sigmoid", "11_training", "12_higher_order",
    "13_worksheets", "14_compiled_training", "15_chain_rule_two_ways",
]


def test_every_expected_notebook_exists_and_every_notebook_is_expected():
    names = {p.stem for p in NOTEBOOKS}
    missing = [name for name in EXPECTED if name not in names]
    assert not missing, f"notebooks missing from {NOTEBOOK_DIR}: {missing}"
    unlisted = sorted(names - set(EXPECTED))
    assert not unlisted, (f"notebooks in {NOTEBOOK_DIR} not listed in EXPECTED of "
                          f"tests/test_notebooks.py: {unlisted}; add them there")
    assert len(EXPECTED) == len(set(EXPECTED)), "EXPECTED lists a notebook twice"


def _code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_executed_top_to_bottom(path):
    counts = [cell.execution_count for cell in _code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(counts)}; {REFRESH}")
    errors = [n for n, cell in enumerate(_code_cells(path), 1)
              if any(o.output_type == "error" for o in cell.outputs)]
    assert not errors, f"{path.name}: code cells {errors} stored an error; fix them, then {REFRESH}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_outputs_read_without_a_kernel(path):
    outputs = [o for cell in _code_cells(path) for o in cell.outputs]
    assert any(o.output_type in ("stream", "execute_result", "display_data") for o in outputs), (
        f"{path.name} stores no outputs; {REFRESH}")
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert not widgets, f"{path.name} stores widget outputs (blank outside Jupyter); {REFRESH}"
    text = json.dumps(outputs)
    paths = [m.group(0) for m in MACHINE_PATH.finditer(text)] + re.findall(r"/tmp/\S*", text)
    assert not paths, f"{path.name}: outputs show paths of this machine: {paths[:3]}"
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size} bytes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_title_carries_the_files_number(path):
    # "# 14 · Compiled training" in 14_compiled_training.ipynb: the title a reader sees (and
    # the docs site's page) matches the number the file list and the site's menu sort by
    first = nbformat.read(path, as_version=4).cells[0]
    number = path.stem.split("_", 1)[0]
    titles = [line for line in first.source.splitlines() if line.startswith("# ")]
    assert first.cell_type == "markdown" and len(titles) == 1, (
        f"{path.name}: the first cell must be markdown with one '# {number} · ...' title")
    assert titles[0].startswith(f"# {number} · "), (
        f"{path.name}: its title {titles[0]!r} should start with '# {number} · '")


def test_notebooks_are_collected_by_nbval(pytestconfig):
    """Guards the set-up: without --nbval the notebooks would silently not run at all."""
    assert pytestconfig.getoption("nbval"), "pytest runs without --nbval (see pyproject addopts)"
    assert "notebooks" in pytestconfig.getini("testpaths")
