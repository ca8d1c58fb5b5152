"""PDF hand-outs (the typst wheel): read back with pypdf, the diagram page rasterised with pypdfium2.

Skipped locally without the `pdf` extra (the install command is in the skip reason), required
in CI (tests/optional.py).
"""
import pytest

from optional import require

require("typst", 'pip install "teachgrad[pdf]"')
pypdf = require("pypdf", 'pip install -e ".[test]"')
pdfium = require("pypdfium2", 'pip install -e ".[test]"')

from autograd.cli import main  # noqa: E402
from autograd.sheets import find_sheet  # noqa: E402
from autograd.sheets.pdf import handout_pdf  # noqa: E402

A4 = (595.28, 841.89)  # points
LETTER = (612.0, 792.0)
ROOT_FILL = (0xF4, 0xCC, 0xCC)  # the root's fill colour in every diagram (style.ROLE_STYLE)
PARAM_FILL = (0xD9, 0xEA, 0xD3)


@pytest.fixture(scope="module")
def seed002():
    return find_sheet("seed002").problem()


def _read(pdf_bytes, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(pdf_bytes)
    return path, pypdf.PdfReader(path)


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _size(page):
    return float(page.mediabox.width), float(page.mediabox.height)


def test_key_pdf_reads_back(seed002, tmp_path):
    pdf, note = handout_pdf(seed002)
    _, reader = _read(pdf, tmp_path, "key.pdf")
    assert note == ""
    assert 2 <= len(reader.pages) <= 4
    assert _size(reader.pages[0]) == pytest.approx(A4, abs=0.5)
    assert reader.metadata.title.startswith("Solution key: 2-2-1 sigmoid network")
    text = _text(reader)
    assert "0.274811" in text and "0.000668396" in text  # L and dL/dW1_11, 6 digits
    assert "page 1 of" in text
    assert "𝜎" in text and "𝜕" in text  # maths typeset: sigma and the partial sign as maths glyphs


def test_blank_pdf_letter_has_name_line_and_no_answers(seed002, tmp_path):
    pdf, _ = handout_pdf(seed002, blank=True, paper="letter")
    _, reader = _read(pdf, tmp_path, "blank.pdf")
    assert _size(reader.pages[0]) == pytest.approx(LETTER, abs=0.5)
    first = reader.pages[0].extract_text()
    assert "Name" in first and "ID" in first and "Date" in first and "“" not in first
    text = _text(reader)
    assert "0.274811" not in text and "0.138499" not in text
    assert "𝜎(𝑧1,2)" in text  # the structure is shown ...
    hidden = _text(_read(handout_pdf(seed002, blank=True, structure=False)[0], tmp_path, "ns.pdf")[1])
    assert "𝜎(𝑧1,2)" not in hidden and "0.05" in hidden  # ... or hidden; the data stay


def _ink_box(page, footer):
    """(left, top, right, bottom) in points of everything not white above the footer band, and
    the page's image (rendered at 1 px per point)."""
    from PIL import Image, ImageChops
    image = page.render(scale=1.0).to_pil().convert("RGB")
    body = image.crop((0, 0, image.width, image.height - int(footer)))
    box = ImageChops.difference(body, Image.new("RGB", body.size, (255, 255, 255))).getbbox()
    return box, image


def _has_colour(image, rgb, tolerance=6):
    colours = image.getcolors(maxcolors=1 << 20) or []
    return any(all(abs(c[i] - rgb[i]) <= tolerance for i in range(3)) for _, c in colours)


@pytest.mark.parametrize("graph", [False, True], ids=["key diagram", "blank graph"])
def test_diagram_is_inside_its_page(seed002, tmp_path, graph):
    pdf, _ = handout_pdf(seed002, blank=graph, graph=graph)
    path, reader = _read(pdf, tmp_path, "d.pdf")
    doc = pdfium.PdfDocument(str(path))
    page = doc[len(doc) - 1]  # the diagram has the last page to itself
    width, height = page.get_size()
    mm = 72 / 25.4
    (left, top, right, bottom), image = _ink_box(page, footer=18 * mm)  # page numbers: below
    # inside the page margins (15 mm at the sides, 18 mm at top and bottom), 2 pt for smoothing
    assert left >= 15 * mm - 2 and right <= width - 15 * mm + 2, (left, right, width)
    assert top >= 18 * mm - 2 and bottom <= height - 18 * mm - 1, (top, bottom, height)
    # the whole graph is there: the first leaves (parameters, green) and the root (red) at the end
    assert _has_colour(image, ROOT_FILL) and _has_colour(image, PARAM_FILL)
    text = reader.pages[-1].extract_text()
    assert ("fill in the gradients" in text) == graph


def test_cli_pdf_needs_out_and_writes_files(tmp_path, capsys):
    assert main(["sheet", "solve", "seed002", "--format", "pdf"]) == 2
    assert "--format pdf writes a file: give --out" in capsys.readouterr().err
    out = tmp_path / "g.pdf"
    assert main(["sheet", "blank", "seed001_neuron", "--graph", "--format", "pdf", "--paper",
                 "letter", "--out", str(out)]) == 0
    reader = pypdf.PdfReader(out)
    assert _size(reader.pages[0]) == pytest.approx(LETTER, abs=0.5) and len(reader.pages) == 2
    assert "Name" in reader.pages[0].extract_text()


def test_tex_includes_a_pdf_diagram(tmp_path):
    out = tmp_path / "key.tex"
    assert main(["sheet", "solve", "seed002", "--format", "tex", "--out", str(out)]) == 0
    tex = out.read_text()
    assert r"\includegraphics[width=\linewidth,height=0.85\textheight,keepaspectratio]{key-diagram.pdf}" in tex
    diagram = pypdf.PdfReader(tmp_path / "key-diagram.pdf")
    assert len(diagram.pages) == 1 and _size(diagram.pages[0])[1] > 100


from test_handouts_platforms import VARIANT_SHEET as NEURON  # noqa: E402 - a sheet with ranges


def test_booklets_per_student_and_merged(tmp_path, capsys):
    from autograd.grading import key_number
    from autograd.sheets.variantcode import variant_code
    sheet_file = tmp_path / "neuron.toml"
    sheet_file.write_text(NEURON)
    roster = tmp_path / "roster.csv"
    roster.write_text('name,id\nAda Lovelace,s001\n"Bob ""=cmd"" Tables",s002\nCarla Díaz,s003\n')
    out = tmp_path / "exam"
    assert main(["sheet", "variants", str(sheet_file), "--roster", str(roster), "--format", "pdf",
                 "--paper", "letter", "--out", str(out)]) == 0
    rows = (out / "roster.csv").read_text().splitlines()[1:]
    seeds = [int(r.rsplit(",", 1)[1]) for r in rows]
    assert len(set(seeds)) == 3  # distinct variants
    names = ["Ada Lovelace", 'Bob "=cmd" Tables', "Carla Díaz"]
    stems = ["Ada_Lovelace_s001", "Bob_cmd_Tables_s002", "Carla_D_az_s003"]
    total = 0
    for name, stem, seed in zip(names, stems, seeds):
        booklet = pypdf.PdfReader(out / f"{stem}.booklet.pdf")
        first = booklet.pages[0].extract_text()
        assert name in first and f"Seed: {seed}" in first and variant_code(seed) in first
        assert _size(booklet.pages[0]) == pytest.approx(LETTER, abs=0.5)
        assert "0.7" not in _text(booklet).split("Forward pass")[1]  # no results on a booklet
        key = pypdf.PdfReader(out / f"{stem}.key.pdf")
        f = find_sheet(sheet_file).problem(seed).values["f"]
        assert name in key.pages[0].extract_text() and key_number(f, 4) in _text(key)
        total += len(booklet.pages) + len(booklet.pages) % 2  # each booklet starts a sheet
    merged = pypdf.PdfReader(out / "booklets.pdf")
    assert len(merged.pages) == total
    assert len(pypdf.PdfReader(out / "keys.pdf").pages) >= 3
