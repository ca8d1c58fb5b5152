"""`python -m autograd ...`: the command line (see `autograd/cli.py`)."""
from .cli import main

raise SystemExit(main())
