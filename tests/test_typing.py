"""The public API type-checks: `mypy autograd nn` with the settings in pyproject.toml
([tool.mypy]: every function annotated, bodies checked, no unused `type: ignore`), and both
packages carry the PEP 561 marker `py.typed` so that type checkers read their annotations.

mypy comes with the test extra; its cache lives in a temporary folder so the run never depends
on (or leaves) a `.mypy_cache` in the checkout. About 10 s from cold.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean_on_autograd_and_nn(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"),
         "autograd", "nn"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"mypy autograd nn failed (exit {result.returncode}):\n{output}"
    assert "Success: no issues found" in output, output


@pytest.mark.parametrize("package", ["autograd", "nn"])
def test_package_has_py_typed_marker(package):
    """The marker sits next to __init__.py; pyproject's package-data ships it in the wheel."""
    assert (ROOT / package / "__init__.py").is_file()
    assert (ROOT / package / "py.typed").is_file()


def test_settings_come_from_pyproject():
    """The strictness the issue asks for is configured where `mypy autograd nn` reads it."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mypy = config["tool"]["mypy"]
    for flag in ("disallow_untyped_defs", "disallow_incomplete_defs", "check_untyped_defs",
                 "warn_unused_ignores", "no_implicit_optional"):
        assert mypy[flag] is True, flag
    assert mypy["python_version"] == "3.10"
    package_data = config["tool"]["setuptools"]["package-data"]
    assert package_data["autograd"] == ["py.typed"] and package_data["nn"] == ["py.typed"]
    assert any(dep.startswith("mypy") for dep in config["project"]["optional-dependencies"]["test"])
