"""The README's pictures (docs/images/) are current: made by docs/pictures.py from today's code.

The check compares hashes of what the code decides -- the DOT source, the step page's captions
and panel lines -- never of pixels or SVG coordinates, so it passes whichever Graphviz renderer
or fonts drew the pictures; and the files are the ones that script wrote with that manifest.
"""
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = "run `python docs/pictures.py` and commit docs/images/"


def _pictures():
    spec = importlib.util.spec_from_file_location("docs_pictures", ROOT / "docs" / "pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PICTURES = _pictures()
MANIFEST = json.loads(PICTURES.MANIFEST.read_text(encoding="utf-8"))


def test_the_manifest_names_both_readme_pictures_and_the_readme_shows_them():
    assert sorted(MANIFEST) == ["backward.svg", "stepper.png"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:readme.index("\n## ", readme.index("\n## ") + 1)]  # the first two sections
    for name in MANIFEST:
        assert f"docs/images/{name}" in head, f"the README's top does not show {name}"


@pytest.mark.parametrize("name", ["backward.svg", "stepper.png"])
def test_picture_is_made_from_the_current_code(name):
    decided = PICTURES.decided()[name]
    assert PICTURES.sha256(decided) == MANIFEST[name]["decided_sha256"], (
        f"the code now draws {name} differently: {FIX}")
    data = (PICTURES.IMAGES / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == MANIFEST[name]["file_sha256"], (
        f"docs/images/{name} is not the file docs/pictures.py wrote: {FIX}")


def test_the_pictures_show_the_neuron_s_numbers():
    """The numbers in the pictures are the engine's: z = -1.25, dy/dz = 1 - tanh(z)^2."""
    y, inputs, params = PICTURES.neuron()
    source = PICTURES.backward_diagram().source
    dz = 1.0 - y.data ** 2
    assert dz == pytest.approx(0.28041, abs=5e-6)
    for expected in ("data -1.25", f"grad {dz:.4f}", "grad 0.5608", "grad -0.1402"):
        assert expected in source
    w1, w2, b = params
    assert (w1.grad, w2.grad, b.grad) == pytest.approx((2.0 * dz, -1.0 * dz, dz), rel=1e-15)
    png = (PICTURES.IMAGES / "stepper.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (PICTURES.WIDTH, PICTURES.HEIGHT)
