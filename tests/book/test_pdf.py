"""The book as one PDF (`make pdf`): it builds, it holds what the HTML book holds, with the
same numbers, and every HTML page links it.

The build and the tests that read its output share the xdist group "pdf", so they run in
that order on one worker while the other worker builds and tests the HTML book (group
"book"); the PDF build has its own folder, _build/pdf/, so the two never share files.
"""

import importlib.util
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from book_toc import toc_pages

from rnnbook.figures import ch05

ROOT = Path(__file__).resolve().parents[2]
PDF_DIR = ROOT / "_build" / "pdf"
PDF = PDF_DIR / "book.pdf"
LATEX = PDF_DIR / "_build" / "latex"
HTML = ROOT / "_build" / "html"
BUILD_TEST = "test_pdf.py::test_make_pdf_builds_the_book"

_SPEC = importlib.util.spec_from_file_location("latex_log", ROOT / "tools" / "latex_log.py")
latex_log = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(latex_log)


# --- what the sources say the book holds --------------------------------------------------


def _chapters():
    """(source, chapter number or None) for every page of _toc.yml, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf8"))
    numbered = {
        (ROOT / entry["file"]).with_suffix(".md")
        for part in toc["parts"]
        if part.get("numbered")
        for entry in part["chapters"]
    }
    pages, n = [], 0
    for page in toc_pages():
        n += page in numbered
        pages.append((page, n if page in numbered else None))
    return pages


def _labels(text, directive):
    return re.findall(rf"^`{{3,}}\{{{directive}\}}[^\n]*\n:label:[ \t]*(\S+)", text, re.MULTILINE)


def expected_equation_numbers():
    """Label -> number as the HTML numbers them: "4.8" in chapter 4, 1, 2, ... elsewhere."""
    numbers, loose = {}, 0
    for page, chapter in _chapters():
        for k, label in enumerate(_labels(page.read_text(encoding="utf8"), "math"), start=1):
            loose += chapter is None
            numbers[label] = f"{chapter}.{k}" if chapter else str(loose)
    return numbers


def _figure_cells(page):
    """Code cells with a figure caption (numbered figures), and cells that show a slider."""
    cells = [c for c in jupytext.read(page).cells if c.cell_type == "code"]
    captioned = [c for c in cells if "caption" in c.metadata.get("mystnb", {}).get("figure", {})]
    # The chapters' convention: a slider cell ends with charts.<name>_slider(...).
    sliders = [c for c in cells if re.search(r"_slider\([^\n]*\)\s*$", c.source)]
    return captioned, sliders


def expected_figures():
    """Figure name -> number ("5.2") in the chapters, and the count of slider figures
    without a caption (a captioned slider is one of the numbered figures)."""
    numbers, sliders = {}, 0
    for page, chapter in _chapters():
        if page.suffix != ".md" or not page.read_text(encoding="utf8").startswith("---"):
            continue
        captioned, slider_cells = _figure_cells(page)
        sliders += len([c for c in slider_cells if c not in captioned])
        for k, cell in enumerate(captioned, start=1):
            numbers[cell.metadata["mystnb"]["figure"]["name"]] = f"{chapter}.{k}"
    return numbers, sliders


def expected_exercises():
    """(chapter number, exercise count) for every chapter with exercises."""
    return [
        (chapter, len(_labels(page.read_text(encoding="utf8"), "exercise")))
        for page, chapter in _chapters()
        if chapter and _labels(page.read_text(encoding="utf8"), "exercise")
    ]


def _aux_labels():
    """LaTeX's label -> number, from the last run's book.aux (hyperref's 5-field form)."""
    aux = LATEX.joinpath("book.aux").read_text(encoding="utf8")
    return dict(re.findall(r"\\newlabel\{([^{}]+)\}\{\{([^{}]*)\}", aux))


def _titles():
    """The title (first "# " heading) of every page, the root's being the book's."""
    return [
        re.search(r"^# (.+)$", page.read_text(encoding="utf8"), re.MULTILINE).group(1)
        for page, _ in _chapters()
    ]


# --- the build ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")  # first; then the tests below, while "book" runs elsewhere
def test_make_pdf_builds_the_book():
    shutil.rmtree(PDF_DIR, ignore_errors=True)  # so nothing can pass from an old build
    result = subprocess.run(
        ["make", "--no-print-directory", "pdf"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    log = (result.stdout + result.stderr)[-6000:]
    assert result.returncode == 0, f"make pdf failed:\n{log}"
    assert PDF.read_bytes()[:5] == b"%PDF-"


def _need_pdf(request):
    if not PDF.is_file():
        if any(BUILD_TEST in item.nodeid for item in request.session.items):
            pytest.fail("the PDF build test ran in this session but left no _build/pdf/book.pdf")
        pytest.skip("no _build/pdf/book.pdf yet: run `make pdf` (make test builds it first)")


def _run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf_text(request):
    """The PDF's text (pdftotext), ligatures such as "ﬁ" spelled out."""
    _need_pdf(request)
    return unicodedata.normalize("NFKC", _run("pdftotext", "-enc", "UTF-8", str(PDF), "-"))


def _squeeze(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_holds_every_page_title_and_no_unresolved_reference(pdf_text):
    text = _squeeze(pdf_text)
    # The root page's title is the book's (title page); the others head chapters.
    missing = [t for t in _titles() if _squeeze(t.replace("$", "")) not in text]
    assert not missing, f"titles missing from the PDF: {missing}"
    assert "??" not in pdf_text, "an unresolved reference is printed as ??"
    # The front and back matter are there too: the notation page, the bibliography.
    assert "Preface" in pdf_text and "Notation" in pdf_text
    assert "Werbos" in pdf_text, "no bibliography entries"
    # Links print their address for readers on paper: a footnote in the prose, in place in
    # the bibliography (not "doi:..." and the same address again in a footnote).
    assert "https://www.sympy.org" in text and "https://doi.org/10.1109/72.279181" in text
    assert latex_log.problems(LATEX.joinpath("book.log").read_text(errors="replace")) == []


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_embeds_every_font_and_has_a_plausible_length(request):
    _need_pdf(request)
    rows = _run("pdffonts", str(PDF)).splitlines()[2:]
    assert rows, "pdffonts lists no fonts"
    # name, type (one or more words), encoding, emb, sub, uni, object, generation
    not_embedded = [r for r in rows if r.split()[-5] != "yes"]
    assert not not_embedded, "fonts not embedded:\n" + "\n".join(not_embedded)
    assert not [r for r in rows if "Type 3" in r], "bitmap-like Type 3 fonts (pdf.fonttype 42)"
    pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(PDF)), re.M).group(1))
    assert 50 <= pages <= 250, f"{pages} pages"


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_raster_images_are_only_the_figures_heatmaps_at_print_resolution(request):
    # Figures are vector PDFs; what pdfimages finds in the book must be exactly the raster
    # parts of those PDFs (a heatmap's cells, its colour bar): no figure as a PNG, no
    # bitmap font, no image lost.
    _need_pdf(request)
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    figures = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]*)\}\.pdf\}", tex)
    assert figures, "no figure included as a PDF"
    expected = sum(len(_images(LATEX / f"{name}.pdf")) for name in figures)
    images = _images(PDF)
    assert len(images) == expected, f"{len(images)} raster images, {expected} in the figures"
    assert expected >= 2, "no heatmap left: this test no longer tests a raster part"
    low = [row for row in images if min(int(row[12]), int(row[13])) < 300]
    assert not low, f"raster images under 300 ppi on the page: {low}"


def _images(pdf):
    """pdfimages -list, one row of fields per image (page, num, type, ..., x-ppi, y-ppi)."""
    return [line.split() for line in _run("pdfimages", "-list", str(pdf)).splitlines()[2:]]


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_contents_and_bookmarks_link_every_chapter(request):
    _need_pdf(request)
    # book.toc: \contentsline {chapter}{\numberline {4}Backpropagation ...}{50}{chapter.4},
    # the last field the link's target; book.out: hyperref's bookmarks, titles in UTF-16.
    toc = LATEX.joinpath("book.toc").read_text(encoding="utf8")
    lines = re.findall(r"^\\contentsline \{chapter\}\{(.*)\}\{\d+\}\{([^{}]+)\}%$", toc, re.M)
    titles = [re.sub(r"\\numberline \{(\d+)\}", r"\1 ", title) for title, _ in lines]
    sources = [re.sub(r"\$\\?(\w+)\$", r"\1", t).replace("tau", "τ") for t in _titles()[1:]]
    numbers = [f"{n} " if n else "" for _, n in _chapters()[1:]]
    assert titles == ["Preface"] + [n + t for n, t in zip(numbers, sources)]
    out = LATEX.joinpath("book.out").read_text(encoding="utf8")
    bookmarks = re.findall(r"^\\BOOKMARK \[0\]\[-\]\{([^}]*)\}\{([^}]*)\}", out, re.M)
    assert [target for target, _ in bookmarks] == [target for _, target in lines]
    assert [_utf16(title) for _, title in bookmarks] == titles


def _utf16(escaped):
    """A hyperref bookmark title (\\376\\377\\000P...: octal UTF-16 with a BOM) as text."""
    raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), escaped.encode())
    return raw.decode("utf-16")


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_numbers_equations_and_figures_as_the_html_does(request):
    _need_pdf(request)
    labels = _aux_labels()
    chapters = {
        labels[f"{page.relative_to(ROOT).with_suffix('').as_posix()}::doc"]: str(chapter)
        for page, chapter in _chapters()
        if chapter
    }
    assert list(chapters) == list(chapters.values()) == ["1", "2", "3", "4", "5"]
    equations = {
        key.rsplit(":", 1)[-1]: number
        for key, number in labels.items()
        if key.startswith("equation:")
    }
    assert equations == expected_equation_numbers()
    figures, _ = expected_figures()
    got = {
        key.rsplit(":", 1)[-1]: n for key, n in labels.items() if key.rsplit(":", 1)[-1] in figures
    }
    assert got == figures


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_figures_are_vector_graphics_and_sliders_print_their_frames(pdf_text):
    figures, sliders = expected_figures()
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    images = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]*)\}(\.\w+)\}", tex)
    assert len(images) == len(figures) + sliders, "a figure is missing, or a slider is blank"
    assert {ext for _, ext in images} == {".pdf"}, "a figure is a bitmap, not matplotlib's PDF"
    captions = re.findall(r"^Fig\. (\d+\.\d+):", pdf_text, re.MULTILINE)
    assert captions == sorted(figures.values(), key=lambda n: tuple(map(int, n.split("."))))
    # Chapter 5's w_H slider prints each of its frames under its settings ("w_H = 0.50,
    # T = 40", in whatever typography the frame labels use): the readouts, in order.
    decay = ch05.decay_slider()
    text = _squeeze(pdf_text)
    for frame in decay.frames:
        readouts = [re.escape(s.readout(frame[s.name])) for s in decay.sliders]
        assert re.search("=" + ",[^=,]{1,12}=".join(readouts), text), f"no frame {frame}"
    # Neither widget state nor the HTML of the static figures reached the page.
    for raw in ('class="rnnfig"', "<div", "<svg", "application/vnd.jupyter", "<script"):
        assert raw not in pdf_text and raw not in tex


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_typesets_the_sympy_outputs_as_maths(request):
    _need_pdf(request)
    executed = PDF_DIR / "_build" / "jupyter_execute" / "book"
    latex_outputs = [
        out["data"]["text/latex"]
        for path in sorted(executed.glob("*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        for out in cell.get("outputs", [])
        if "text/latex" in out.get("data", {})
    ]
    assert len(latex_outputs) >= 5, "the chapters' sympy Math() outputs are missing"
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    # IPython's Math writes $\displaystyle ...$; LaTeX gets it as a display, not as code.
    assert tex.count(r"\begin{split}\displaystyle ") == len(latex_outputs)
    assert r"\PYGZbs{}displaystyle" not in tex and r"\textbackslash{}displaystyle" not in tex


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_pdf_gathers_each_chapters_solutions_after_its_exercises(pdf_text):
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    chapters = re.split(r"^\\chapter\{", tex, flags=re.MULTILINE)
    for chapter, count in expected_exercises():
        body = chapters[chapter + 2]  # before the first: the preamble, Preface, Notation
        exercises = re.findall(r"\{note\}\{Exercise (\d+\.\d+)", body)
        assert exercises == [f"{chapter}.{k}" for k in range(1, count + 1)]
        before, solutions = body.split("\\section{Solutions}")
        assert "{Solution to Exercise" not in before, f"chapter {chapter}: a solution not gathered"
        assert re.findall(r"\{Solution to Exercise (\d+\.\d+)", solutions) == exercises
        assert "{Exercise" not in solutions
    assert pdf_text.count("Solution on page") == sum(n for _, n in expected_exercises())


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_regression_contents_named_contents_and_empty_cells_add_no_blank_line(pdf_text):
    # Sphinx named the contents after the first toctree caption, "Before you start".
    words = " ".join(pdf_text.lower().split())
    assert "contents" in words and "before you start" not in words
    # An empty table cell was a paragraph with nothing in it: a blank line in the cell,
    # which doubled the height of its row (the notation page's tables).
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    assert not re.search(r"\\sphinxAtStartPar\n\n?(&|\\\\)", tex)


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_regression_long_tables_wrap_and_korean_words_switch_back_to_latin(pdf_text):
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    # The notation page's table of symbols (over 30 rows: a longtable) had columns that
    # never wrap, 160 pt into the margin: every column of a longtable now wraps.
    specs = re.findall(r"\\begin\{longtable\}(?:\[[^]]*\])?\{(.*)\}$", tex, re.MULTILINE)
    assert specs, "the notation page's table of symbols is no longer a longtable"
    for spec in specs:
        columns = re.findall(r"\\X\{\d+\}\{\d+\}|(?<![\\{a-z])[lcr](?![a-z])", spec)
        assert columns and all(c.startswith("\\X") for c in columns), spec
    # After a Korean word the font went back to Latin Modern too late or never: the
    # bibliography's š, Č and Ł were missing from Noto Serif CJK.
    text = _squeeze(pdf_text)
    for words in ("개가/개를", "철수를개가물었다", "TomášMikolov", "JanČernocký", "ŁukaszKaiser"):
        assert words in text, words


@pytest.mark.slow
@pytest.mark.xdist_group("pdf")
def test_regression_solutions_are_not_framed_boxes(request):
    # A code block cannot break inside a framed box: Solution 3.4's last block ran 19 pt
    # into the footer. Solutions are headed runs of text; exercises stay short boxes.
    _need_pdf(request)
    tex = LATEX.joinpath("book.tex").read_text(encoding="utf8")
    assert "{sphinxadmonition}{note}{Solution to" not in tex
    exercises = sum(n for _, n in expected_exercises())
    assert tex.count("\\begin{rnnsolution}{Solution to Exercise") == exercises


def test_regression_citation_labels_are_initials_and_year():
    # pybtex's alpha labels spelled out a name written with TeX accents ({\'a}):
    # [MKarafiatB+10], [CvMerrienboerG+14], wider than the bibliography's label column,
    # so that they ran into their entries. The names are now written in Unicode.
    from pybtex.database import parse_file
    from pybtex.style.labels.alpha import LabelStyle

    entries = parse_file(ROOT / "book" / "references.bib").entries.values()
    labels = list(LabelStyle().format_labels(entries))
    long = [label for label in labels if not re.fullmatch(r"[A-Z][A-Za-z]{0,3}\+?\d{2}", label)]
    assert not long, long


# --- latex_log: what makes `make pdf` fail though latexmk succeeded -----------------------


def test_latex_log_reports_unresolved_references_missing_glyphs_and_overfull_lines():
    log = "\n".join(
        [
            "LaTeX Warning: Reference `equation:book/ch04_bptt:eq-x' on page 3 undefined on",
            "LaTeX Warning: Citation `book/references:id9' on page 4 undefined on input",
            "LaTeX Warning: Hyper reference `book/notation::doc' on page 2 undefined",
            "Missing character: There is no τ in font lmroman10-regular!",
            "Overfull \\hbox (12.0pt too wide) in paragraph at lines 100--101",
            "./book.tex:120: Undefined control sequence.",
        ]
    )
    kinds = [p.split(":", 1)[0] for p in latex_log.problems(log)]
    assert kinds == [
        "undefined reference",
        "undefined citation",
        "undefined reference",
        "missing glyph",
        "overfull line",
        "LaTeX error",
    ]


def test_latex_log_passes_a_clean_log_and_invisible_overfull_lines():
    log = "Overfull \\hbox (0.3pt too wide) in paragraph at lines 1--2\nOutput written on book.pdf"
    assert latex_log.problems(log) == []


def test_latex_log_reports_pages_and_floats_running_into_the_footer():
    log = "\n".join(
        [
            "Overfull \\vbox (19.09291pt too high) detected at line 4868",
            "LaTeX Warning: Float too large for page by 40.14308pt on input line 1811.",
            "Overfull \\vbox (1.87758pt too high) detected at line 2942",  # invisible
        ]
    )
    kinds = [p.split(":", 1)[0] for p in latex_log.problems(log)]
    assert kinds == ["overfull page", "float too large"]


# --- the HTML pages link the PDF ---------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "download-pdf-button" in (attrs.get("class") or ""):
            self.hrefs.append(attrs.get("href", ""))


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # after test_book.py's build of _build/html
def test_every_html_page_download_menu_offers_the_book_pdf(request):
    pages = [HTML / p.relative_to(ROOT).with_suffix(".html") for p in toc_pages()]
    if not pages[0].is_file():
        if any("test_book.py::test_book_builds" in item.nodeid for item in request.session.items):
            pytest.fail("the HTML build test ran in this session but left no _build/html")
        pytest.skip("no _build/html yet: run `make book`")
    for page in pages:
        html = page.read_text(encoding="utf8")
        parser = _Links()
        parser.feed(html)
        assert len(parser.hrefs) == 1, f"{page.name}: {parser.hrefs}"
        target = (page.parent / parser.hrefs[0]).resolve()
        assert target == (HTML / "book.pdf").resolve(), f"{page.name} links {parser.hrefs[0]}"
        assert "window.print()" not in html, f"{page.name} still offers the print dialog"
    # The PDF itself is there when `make pdf` ran before or after `make book`.
    if PDF.is_file():
        assert (HTML / "book.pdf").read_bytes()[:5] == b"%PDF-"
