"""The package as a user installs it: sdist and wheel built by `python -m build`, checked by
`twine check`, the wheel installed into a fresh venv and its documented commands run from a
temporary folder, far from this checkout.

Marked `wheel` (about a minute; needs pip to reach PyPI for the build backend): it runs with
the rest of `pytest`; skip it while iterating with `pytest -m "not wheel"`.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.wheel


def _run(args, cwd, env=None, timeout=600):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """(build output, the sdist, the wheel): one build for the module's tests."""
    out = tmp_path_factory.mktemp("dist")
    # PYTHONDONTWRITEBYTECODE (a machine's setting, not the project's) makes setuptools warn
    # "byte-compiling is disabled"; build as a default environment would.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = _run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=ROOT, env=env)
    (sdist,), (wheel,) = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    return result.stdout + result.stderr, sdist, wheel


def test_build_prints_no_warnings(dist):
    log, _, _ = dist
    warnings = [line for line in log.splitlines() if "warning" in line.lower()]
    assert not warnings, "python -m build warned:\n" + "\n".join(warnings)


def test_twine_check_passes(dist):
    _, sdist, wheel = dist
    result = _run([sys.executable, "-m", "twine", "check", "--strict", sdist, wheel], cwd=ROOT)
    assert result.stdout.count("PASSED") == 2


def test_license_ships_in_wheel_and_sdist(dist):
    _, sdist, wheel = dist
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    with tarfile.open(sdist) as tf:
        assert any(n.endswith("/LICENSE") for n in tf.getnames())
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License") and "teachgrad contributors" in license_text


def test_installed_wheel_runs_the_documented_commands_outside_the_checkout(dist, tmp_path):
    _, _, wheel = dist
    env_dir, work = tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python, teachgrad = bindir / "python", bindir / "teachgrad"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run([python, "-m", "pip", "install", "--quiet", wheel], cwd=work, env=env)

    version = _run([teachgrad, "--version"], cwd=work, env=env).stdout
    assert version == "teachgrad 0.1.0\n"
    listed = [line for line in _run([teachgrad, "examples", "list"], cwd=work, env=env)
              .stdout.splitlines() if not line.startswith(" ")]  # not wrapped descriptions
    assert len(listed) == 16 and listed[6].startswith("seed002_net221_sgd ")  # 9 + 7 sheets
    assert listed[-1].startswith("sheet-seed004_222 ")  # the shipped sheets made it into the wheel
    out = tmp_path / "out"
    ran = _run([teachgrad, "examples", "run", "seed002", "--out", out], cwd=work, env=env).stdout
    assert ran.startswith("seed002_net221_sgd: ") and "Slips found: 15" in ran
    assert "from: homework 002" in ran and f"Files written to {out.resolve()}:" in ran
    assert sorted(p.name for p in out.iterdir()) == ["backward.svg", "backward_steps.html",
                                                     "forward.svg"]
    assert (out / "backward.svg").read_text(encoding="utf-8").count("<svg") == 1
    # the installed package, not this checkout, answered
    where = _run([python, "-c", "import autograd; print(autograd.__file__)"], cwd=work, env=env)
    assert str(env_dir) in where.stdout and str(ROOT) not in where.stdout
