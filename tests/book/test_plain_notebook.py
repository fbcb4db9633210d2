"""tools/plain_notebook.py: chapters as notebooks whose prose JupyterLab renders."""

import ast
import importlib.util
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from book_toc import is_notebook, toc_pages

ROOT = Path(__file__).resolve().parents[2]
# A local Sphinx extension of the book, not part of rnn_core: load it from its file.
_SPEC = importlib.util.spec_from_file_location(
    "plain_notebook", ROOT / "tools" / "plain_notebook.py"
)
plain_notebook = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(plain_notebook)

HTML = ROOT / "_build" / "html"
NOTEBOOKS = [p for p in toc_pages() if p.suffix == ".md" and is_notebook(p)]
# What JupyterLab would show as raw text: directive fences, option lines, roles.
_MYST = re.compile(r"^`{3,}\{|^:[\w-]+:\s|\{[a-z:-]+\}`", re.MULTILINE)


def _convert_text(tmp_path, text):
    """Convert one small MyST notebook written into a copy of the book's layout."""
    source = ROOT / "book" / "ch04_bptt.md"  # a real chapter: numbers and paths resolve
    body = source.read_text(encoding="utf8").split("\n---\n", 1)[0] + "\n---\n\n" + text
    path = tmp_path / "book" / source.name
    path.parent.mkdir()
    path.write_text(body, encoding="utf8")
    for name in ("_toc.yml",):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf8"))
    for page in toc_pages():
        if page.name != source.name:
            (tmp_path / page.relative_to(ROOT)).write_text(page.read_text(encoding="utf8"))
    (tmp_path / "book" / "references.bib").write_text(
        (ROOT / "book" / "references.bib").read_text(encoding="utf8")
    )
    (tmp_path / "rnn_core").symlink_to(ROOT / "rnn_core")
    nb = plain_notebook.convert(path, tmp_path)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _body_line(path, name):
    """The line of ``name``'s first statement after its docstring, counted from its def."""
    node = next(n for n in ast.walk(ast.parse(path.read_text())) if getattr(n, "name", 0) == name)
    return node.body[1].lineno - node.lineno + 1


def test_each_construct_becomes_plain_markdown(tmp_path):
    first = _body_line(ROOT / "rnn_core" / "linear.py", "_polyval_and_slope")
    text = _convert_text(
        tmp_path,
        """\
# T

```{math}
:label: eq-gradout
a = b
```

See {eq}`eq-gradout` and {eq}`eq-unrolled-state`, after {cite}`pascanu2013difficulty`
and {cite}`werbos1990bptt,elman1990finding`; {doc}`the next chapter <ch05_vanishing>`.

```{admonition} Note
:class: tip

Body with $a +
b$ wrapped.

- an item
  continued
```

## Sub

### Subsub

## Next

```{literalinclude} ../rnn_core/linear.py
:pyobject: _polyval_and_slope
:lines: 1, FIRST-
```

````{exercise}
:label: ex-x

Do it.
````

```{solution} ex-x
:class: dropdown

Done.
```
""".replace("FIRST", str(first)),
    )
    assert "$$\na = b \\tag{4.1}\n$$" in text
    assert "See (4.1) and (3.2), after [Pascanu et al., 2013]" in text
    assert "[Werbos, 1990; Elman, 1990]; [the next chapter](ch05_vanishing.ipynb)." in text
    # In a quote, math that wrapped would carry "> " into the TeX: lines are joined.
    assert "> **Note**\n>\n> Body with $a + b$ wrapped.\n>\n> - an item continued" in text
    assert "# 4. T\n" in text and "## 4.1. Sub\n\n### 4.1.1. Subsub\n\n## 4.2. Next" in text
    code = text.split("```python\n")[1].split("\n```")[0].split("\n")
    assert code[0] == "def _polyval_and_slope(p, w):"
    assert code[1].strip().startswith("b = math.isqrt")  # the docstring is skipped
    assert code[-1].strip() == "return float(value), float(slope)"
    assert "**Exercise 4.1.**\n\nDo it." in text
    assert "<details>\n<summary>Solution</summary>\n\nDone.\n\n</details>" in text
    assert not _MYST.search(text)


def test_regression_a_doc_link_to_a_page_with_no_notebook_is_its_text(tmp_path):
    # The equation ledger links the errata, which is no notebook: a link to
    # errata.ipynb would lead nowhere in the notebooks' folder.
    text = _convert_text(tmp_path, "See {doc}`the errata <errata>` and {doc}`ch05_vanishing`.\n")
    assert "See the errata and [ch05_vanishing](ch05_vanishing.ipynb)." in text
    assert "errata.ipynb" not in text


def test_unknown_directive_is_an_error_not_raw_text(tmp_path):
    with pytest.raises(ValueError, match=r"no plain form for the directive \{figure\}"):
        _convert_text(tmp_path, "```{figure} x.png\n:alt: x\n```\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_page_converts_without_myst_left(path):
    nb = plain_notebook.convert(path)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert not _MYST.findall(text), f"{path.name}: MyST left in the Markdown cells"
    assert text.count("$$") == 2 * path.read_text(encoding="utf8").count("{math}")
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", text)
    assert {link[: -len(".ipynb")] for link in links} <= {p.stem for p in NOTEBOOKS}
    # "$...$" split over lines inside a quote would show a stray ">" in the formula.
    quoted = [line for line in text.split("\n") if line.startswith(">")]
    assert all(line.count("$") % 2 == 0 for line in quoted), path.name


class _EquationNumbers(HTMLParser):
    """label -> number from the built pages' <span class="eqno">(4.8)...</span>."""

    def __init__(self):
        super().__init__()
        self.numbers, self.label, self.inside = {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (attrs.get("id") or "").startswith("equation-"):
            self.label = attrs["id"][len("equation-") :]
        self.inside = tag == "span" and attrs.get("class") == "eqno" and self.label

    def handle_data(self, data):
        if self.inside and self.label not in self.numbers:
            self.numbers[self.label] = data.strip("()")
            self.inside = False


def _book_numbers(pattern):
    """(page stem, number, text) for every match of ``pattern`` in the built chapters."""
    found = []
    for page in NOTEBOOKS:
        html = (HTML / page.relative_to(ROOT).with_suffix(".html")).read_text("utf8")
        found += [(page.stem, *m) for m in re.findall(pattern, html)]
    return found


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # after the build test
def test_heading_and_figure_numbers_are_the_books():
    if not (HTML / "index.html").is_file():
        pytest.skip("no _build/html: run `make book` first (make test builds it before this)")
    ours_h, ours_f = [], []
    for page in NOTEBOOKS:
        nb = plain_notebook.convert(page)
        for cell in (c for c in nb.cells if c.cell_type == "markdown"):
            ours_h += [
                (page.stem, n)
                for n in re.findall(r"^#+ (\d+(?:\.\d+)*)\. ", cell.source, re.MULTILINE)
            ]
            ours_f += [
                (page.stem, n) for n in re.findall(r"^\*\*Figure (\d+\.\d+)\.\*\*", cell.source)
            ]
    book_h = _book_numbers(r'<h[1-6]>\s*<span class="section-number">(\d+(?:\.\d+)*)\. </span>()')
    book_f = _book_numbers(r'<span class="caption-number">Fig\. (\d+\.\d+) </span>()')
    assert ours_h and ours_h == [(stem, n) for stem, n, _ in book_h]
    assert ours_f and ours_f == [(stem, n) for stem, n, _ in book_f]


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # after the build test
def test_equation_numbers_are_the_books():
    if not (HTML / "index.html").is_file():
        pytest.skip("no _build/html: run `make book` first (make test builds it before this)")
    parser = _EquationNumbers()
    for page in toc_pages():
        parser.feed((HTML / page.relative_to(ROOT).with_suffix(".html")).read_text("utf8"))
    assert parser.numbers == plain_notebook.equation_numbers()


_FIGURE_ID = re.compile(
    r'<figure[^>]*\bid="([^"]+)"(?:(?!</figure>).)*?<span class="caption-number">Fig\. ([\d.]+) ',
    re.S,
)


@pytest.mark.slow
@pytest.mark.xdist_group("book")  # after the build test
def test_figure_numbers_are_the_books():
    if not (HTML / "index.html").is_file():
        pytest.skip("no _build/html: run `make book` first (make test builds it before this)")
    book = {}
    for page in toc_pages():
        html = (HTML / page.relative_to(ROOT).with_suffix(".html")).read_text("utf8")
        book.update(_FIGURE_ID.findall(html))
    assert book and book == plain_notebook.figure_numbers()


def test_numref_becomes_the_figure_number(tmp_path):
    page = tmp_path / "book" / "ch01.md"
    page.parent.mkdir()
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/ch01\nparts:\n  - caption: C\n    numbered: true\n"
        "    chapters:\n      - file: book/ch01\n"
    )
    page.write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n# T\n\n"
        "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: a\n    name: fig-a\n"
        "---\n1\n```\n\nSee {numref}`fig-a` and {numref}`panel %s <fig-a>`.\n"
    )
    (tmp_path / "book" / "references.bib").write_text("")
    nb = plain_notebook.convert(page, root=tmp_path)
    assert "See Fig. 1.1 and panel 1.1." in "".join(c.source for c in nb.cells)


def test_regression_notebook_cell_ids_are_the_same_in_every_conversion():
    # nbformat's new cells get random ids: two builds gave different .ipynb downloads.
    import nbformat

    source = ROOT / "book" / "ch01_sequence_data.md"
    first, second = (nbformat.writes(plain_notebook.convert(source)) for _ in range(2))
    assert first == second
    nb = nbformat.reads(first, as_version=4)
    nbformat.validate(nb)
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids)


def test_regression_make_notebooks_without_a_python_fails_instead_of_building_the_book():
    # `make -o .venv/.stamp notebooks` with no working interpreter used to hand the
    # sub-make an empty target list, which fell through to the default goal `book`.
    out = subprocess.run(
        ["make", "-o", ".venv/.stamp", "notebooks", "PY=/nonexistent/python", "NB_DIR=/tmp/x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "no chapter list" in out.stderr
    assert "jupyter-book" not in out.stdout + out.stderr


def test_regression_make_notebooks_finds_the_builds_glue_values(tmp_path):
    # built_glue looked for _notebooks/<stem>.glue.json, but the build writes
    # _notebooks/book/<stem>.glue.json: `make notebooks` never filled in a value.
    folder = tmp_path / "_build" / "html" / "_notebooks" / "book"
    folder.mkdir(parents=True)
    (folder / "ch09_x.glue.json").write_text('{"n:.2f": "0.50"}', encoding="utf8")
    assert plain_notebook.built_glue(ROOT / "book" / "ch09_x.md", tmp_path) == {"n:.2f": "0.50"}
    # A Korean page takes the Korean build's values, else the English build's.
    korean = ROOT / "ko" / "book" / "ch09_x.md"
    assert plain_notebook.built_glue(korean, tmp_path) == {"n:.2f": "0.50"}
    folder = tmp_path / "_build" / "html" / "ko" / "_notebooks" / "book"
    folder.mkdir(parents=True)
    (folder / "ch09_x.glue.json").write_text('{"n:.2f": "0.5O"}', encoding="utf8")
    assert plain_notebook.built_glue(korean, tmp_path) == {"n:.2f": "0.5O"}


def test_korean_pages_convert_with_korean_words():
    nb = plain_notebook.convert(ROOT / "ko" / "notation.md", ROOT / "ko")
    prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(2.9)" in prose  # an equation of a chapter: its number in the book
    assert plain_notebook.language(ROOT / "ko") == "ko" and plain_notebook.language(ROOT) == "en"
    assert plain_notebook.WORDS["ko"]["solution"] == "풀이"


def _every_page():
    """Every MyST page of both editions, and the top-level pages that are not notebooks."""
    return [p for p in toc_pages() + toc_pages(ROOT / "ko") if p.suffix == ".md" and p.is_file()]


@pytest.mark.parametrize("page", _every_page(), ids=lambda p: str(p.relative_to(ROOT)))
def test_figures_and_notebook_test_agree_with_jupytext(page):
    # plain_notebook reads figure options and front matter without jupytext (a build
    # converts 7 pages and needs every page's figure numbers for each: 3 s with jupytext);
    # what it reads must be what jupytext, and so myst-nb, sees.
    import jupytext

    text = page.read_text(encoding="utf8")
    notebook = jupytext.reads(text, "md:myst")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert plain_notebook.cell_figures(text) == [
        c.metadata.get("mystnb", {}).get("figure", {}) for c in code
    ]
    want = text.startswith("---\n") and "kernelspec" in notebook.metadata
    assert plain_notebook.is_notebook(page) == want


def test_cell_figures_reads_option_blocks_only():
    page = (
        "```{code-cell} ipython3\n:tags: [hide-input]\n\nx = 1\n```\n\n"
        "```{code-cell} ipython3\nx = 2\n```\n\n"
        "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: 'A: b'\n"
        "    name: fig-a\n---\nplot()\n```\n\n"
        "```{code-cell} ipython3\n---\ntags: [remove-input]\n---\ny = 3\n```\n"
        "````md\n```python\nnot a cell\n```\n````\n"
    )
    figures = plain_notebook.cell_figures(page)
    assert figures == [{}, {}, {"caption": "A: b", "name": "fig-a"}, {}]
