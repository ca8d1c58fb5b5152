"""`python -m autograd ...`: the command line (see `autograd/cli.py`)."""
from .cli import main

raise SystemExit(main(prog="python -m autograd"))  # argv[0] would say "__main__.py"
