"""Execute every notebook in notebooks/ top to bottom; any error in any cell fails the suite.

The notebooks are part of the documentation AND of the test suite: the worked-example notebooks
assert the engine's values and the slips they find in the printed solutions, so a notebook that
runs to the end is a notebook whose claims still hold.

Kernel: the notebooks run in a kernel started from THIS interpreter (`sys.executable`). We do not
rely on whatever "python3" kernel spec happens to be installed (in a fresh venv it may point at
another interpreter, one without this project installed); instead a one-off kernel spec whose
argv starts with sys.executable is written to a temporary folder and used explicitly.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

CELL_TIMEOUT_S = 120  # one cell; the slowest (the training loop) takes a few seconds
NOTEBOOK_BUDGET_S = 60.0  # one notebook, kernel start included
TOTAL_BUDGET_S = 300.0  # all notebooks together (issue 5: under 5 minutes)

# The worked-example notebooks issue 5 asks for; each must exist (an absent file is a failure,
# not a silently smaller parametrization).
EXPECTED = [
    "01_quickstart", "02_activations_and_losses", "03_softmax_classifier",
    "04_two_layer_sigmoid_net", "05_neuron", "06_jacobians", "07_bias_trick_regression",
    "08_sgd_step", "09_named_parameters", "10_bce_sigmoid", "11_training", "13_worksheets",
]

_KERNEL_NAME = "teachgrad-test-python"
_elapsed: dict = {}  # notebook stem -> seconds, for the total-time test
_failed: dict = {}  # notebook stem -> the error it raised


@pytest.fixture(scope="session")
def kernel_spec_manager(tmp_path_factory):
    """A KernelSpecManager that knows one kernel: ipykernel run by sys.executable."""
    kernels = tmp_path_factory.mktemp("kernels")
    spec_dir = kernels / _KERNEL_NAME
    spec_dir.mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({sys.executable})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(kernels)])


def _kernel_env() -> dict:
    # The source tree under test goes first on the kernel's path, so the notebooks exercise this
    # checkout even when another copy of the package is installed.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    # Figures are shown inline (as image outputs) whatever backend the calling shell selects.
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def test_every_expected_notebook_exists():
    names = {p.stem for p in NOTEBOOKS}
    missing = [name for name in EXPECTED if name not in names]
    assert not missing, f"notebooks missing from {NOTEBOOK_DIR}: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    with_outputs = [i for i, cell in enumerate(nb.cells)
                    if cell.cell_type == "code" and (cell.outputs or cell.execution_count)]
    assert not with_outputs, f"{path.name}: cells {with_outputs} carry outputs; clear them"


def _execute(path: Path, kernel_spec_manager) -> float:
    """Run one notebook (once per session: the result is cached) and return its time in s."""
    if path.stem in _failed:  # already failed in this session: report it, do not rerun it
        raise _failed[path.stem]
    if path.stem in _elapsed:
        return _elapsed[path.stem]
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name=_KERNEL_NAME, kernel_spec_manager=kernel_spec_manager)
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    start = time.perf_counter()
    try:
        client.execute(env=_kernel_env())  # raises CellExecutionError naming the failing cell
    except Exception as error:
        _failed[path.stem] = error
        raise
    _elapsed[path.stem] = time.perf_counter() - start
    print(f"{path.name}: {_elapsed[path.stem]:.1f} s")
    return _elapsed[path.stem]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, kernel_spec_manager):
    elapsed = _execute(path, kernel_spec_manager)
    assert elapsed < NOTEBOOK_BUDGET_S, f"{path.name} took {elapsed:.1f} s (> {NOTEBOOK_BUDGET_S} s)"


def test_all_notebooks_within_total_budget(kernel_spec_manager):
    """Every notebook's time (those not yet run in this session are run now), summed."""
    total = sum(_execute(path, kernel_spec_manager) for path in NOTEBOOKS)
    print("notebook times: " + ", ".join(f"{k} {v:.1f}s" for k, v in sorted(_elapsed.items()))
          + f"; total {total:.1f} s")
    assert NOTEBOOKS, f"no notebooks found in {NOTEBOOK_DIR}"
    assert total < TOTAL_BUDGET_S, f"notebooks took {total:.1f} s in all (> {TOTAL_BUDGET_S} s)"
