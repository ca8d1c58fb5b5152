"""Ctrl-C at a chosen point: run a call under a trace hook that raises KeyboardInterrupt.

Shared by the tests that prove a step is all or nothing under an interrupt (nn.optim's steps in
test_robustness_faults.py, the flat optimizers' in test_compile_flat.py).
"""
import sys


def run_interrupted(call, hook) -> None:
    """`call()` with `hook` as the trace function; a KeyboardInterrupt it raises is swallowed
    (the test then inspects the state it left) and the hook is always removed."""
    sys.settrace(hook)
    try:
        call()
    except KeyboardInterrupt:
        pass
    finally:
        sys.settrace(None)
