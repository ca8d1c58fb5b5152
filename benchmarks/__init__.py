"""Benchmarks of the teachgrad engine against micrograd 0.1.0 (run: `python -m benchmarks`).

Not part of the test run and not installed with the package: see benchmarks/README.md.
"""
