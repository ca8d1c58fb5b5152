"""The printable HTML key in Chromium: printed to PDF (its print style sheet, A4 and Letter), the
diagram fits the page width with nothing clipped and no scroll box; read back with pypdf and the
diagram's page rasterised with pypdfium2. Chromium as in tests/test_browser_stepper.py (required
in CI, skipped elsewhere without it).
"""
import base64

import pytest

from optional import require
from test_browser_stepper import browser  # noqa: F401 - the shared headless Chromium fixture

from autograd.sheets import find_sheet
from autograd.sheets.figures import page_figure
from autograd.sheets.key import write_key

pypdf = require("pypdf", 'pip install -e ".[test]"')
pdfium = require("pypdfium2", 'pip install -e ".[test]"')

MM = 72 / 25.4
SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
ROOT_FILL = (0xF4, 0xCC, 0xCC)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_printed_key_fits_the_diagram_in_the_page(browser, tmp_path, paper):  # noqa: F811
    problem = find_sheet("seed002").problem()
    figure, _ = page_figure(problem, paper)
    page = tmp_path / "key.html"
    page.write_text(write_key(problem, "html", diagram_svg=figure.svg, paper=paper), encoding="utf-8")
    browser.get(page.as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    box = browser.execute_script(
        "const d = document.querySelector('.diagram'), s = d.querySelector('svg');"
        "return [s.getBoundingClientRect().width, d.clientWidth, getComputedStyle(d).overflowX,"
        " d.scrollWidth];")
    assert box[0] <= box[1] + 1 and box[2] == "visible" and box[3] <= box[1] + 1, box
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(browser.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    path = tmp_path / "key.pdf"
    path.write_bytes(pdf)
    reader = pypdf.PdfReader(path)
    assert 2 <= len(reader.pages) <= 6
    size = (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height))
    assert size == pytest.approx(SIZES[paper], abs=1.0)
    texts = [p.extract_text() for p in reader.pages]
    assert "page 1 of" in texts[0] and "0.274811" in "".join(texts)
    index = next(i for i, t in enumerate(texts) if "Diagram" in t)
    image = pdfium.PdfDocument(str(path))[index].render(scale=1.0).to_pil().convert("RGB")
    from PIL import Image, ImageChops
    body = image.crop((0, 0, image.width, image.height - int(18 * MM)))  # above the page number
    left, top, right, bottom = ImageChops.difference(
        body, Image.new("RGB", body.size, (255, 255, 255))).getbbox()
    assert left >= 15 * MM - 2 and right <= image.width - 15 * MM + 2, (left, right)
    assert bottom < body.height - 1  # not cut at the foot of the page
    colours = {c for _, c in image.getcolors(1 << 20)}
    assert any(all(abs(a - b) <= 6 for a, b in zip(c, ROOT_FILL)) for c in colours)  # root drawn
