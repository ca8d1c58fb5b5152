"""The package as a whole: completion of lazy names, and no paths of any machine in the tree."""
from __future__ import annotations

import re
from pathlib import Path

import autograd

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ipynb", ".txt", ".json", ""}
SKIP_DIRS = {".git", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis"}
# The folders where some machine keeps its files (work, home, root, Users); written in pieces
# so that this line does not match itself.
MACHINE_PATH = re.compile(r"(?<![\w.])(?:/" r"work/|/" r"home/\w|/" r"root/|/" r"Users/\w"
                          r"|[A-Z]:\\+" r"Users)")


def test_tab_completion_lists_the_lazy_diagram_names():
    assert {"draw", "save", "step_backward", "BackwardStepper", "Value"} <= set(dir(autograd))


def _text_files():
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if (path.is_file() and path.suffix in TEXT_SUFFIXES and not parts & SKIP_DIRS
                and not any(p.startswith(".venv") or p.endswith(".egg-info") for p in parts)):
            yield path


def test_no_absolute_paths_of_any_machine_in_the_tree():
    found = []
    for path in _text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in MACHINE_PATH.finditer(text)]
    assert not found, f"machine paths in the tree: {found[:5]}"
