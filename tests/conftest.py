"""Test-wide settings: property tests are derandomized in CI so a landing never depends on luck.

Locally (no CI variable) hypothesis explores new random examples on every run, which is where
it finds things; in CI (`CI=true`, set by the runner) the same examples run every time.
"""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
