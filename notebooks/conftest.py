"""pytest settings for the notebooks, which nbval runs (see notebooks/README.md).

Figures are shown inline whatever backend the calling shell selects, as when the outputs were
stored; diagrams (SVG) are compared by their structure and text, not by the coordinates a
particular Graphviz renderer chose (svg_summary.py); and a failing notebook cell says how to
store fresh outputs when they are only stale.
"""
import os

import pytest
from nbval.plugin import IPyNbCell

from svg_summary import summarize_svgs

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


_SANITIZE = IPyNbCell.sanitize


def _sanitize(self, s):
    """nbval's regex sanitizers (sanitize.cfg), after each SVG is cut to its summary.

    nbval has no hook for a sanitizer that is not a regex, so its one method is wrapped here;
    the wrapped method is nbval's own, which tests/test_notebooks.py checks still exists.
    """
    return _SANITIZE(self, summarize_svgs(s) if isinstance(s, str) else s)


IPyNbCell.sanitize = _sanitize
