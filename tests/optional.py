"""Optional test dependencies: required in CI, skipped with an install hint elsewhere.

`.ci/run` installs everything (torch, Chromium), so there a missing dependency is a broken set-up
and must fail the run, never skip silently. On a developer's machine that ran only the README's
`pip install -e ".[test]"`, the few tests that need an extra are skipped with the command to run.
"""
import importlib
import os

import pytest


def require(module: str, hint: str):
    """The imported module, or (outside CI) a skip of the calling test module naming `hint`."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{module} is not installed: {hint}", allow_module_level=True)
