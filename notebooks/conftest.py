"""pytest settings for the notebooks, which nbval runs (see notebooks/README.md).

Figures are shown inline whatever backend the calling shell selects, as when the outputs were
stored; and a failing notebook cell says how to store fresh outputs when they are only stale.
"""
import os

import pytest

REFRESH_HINT = ("If the change in this cell's output is intended, store the new outputs: "
                "run `python notebooks/refresh.py` (see notebooks/README.md).")


def pytest_configure(config):
    """The kernel nbval starts inherits this environment."""
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Add the refresh hint to the report of a failing notebook cell."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and str(item.fspath).endswith(".ipynb"):
        report.sections.append(("stale notebook outputs?", REFRESH_HINT))
