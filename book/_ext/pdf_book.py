"""The book as one PDF (``make pdf``), and the HTML pages' link to it.

``make pdf`` runs ``jupyter-book build --builder pdflatex``: Sphinx's LaTeX builder, then
latexmk with xelatex (Debian's texlive). This extension holds every setting of that
build, so that _config.yml only names it:

- **Fonts.** Latin Modern (text, sans, mono) through fontspec, and Computer Modern maths,
  the same design, from Debian's fonts-lmodern and texlive; the figures' DejaVu Sans comes
  embedded in matplotlib's PDFs. A non-ASCII character of the prose (the τ of a title) is
  set as maths; Korean words (Hangul syllables) switch to Noto Serif CJK KR, face 1 of
  Debian's fonts-noto-cjk collection (slanted where the text is italic), and back to the
  font they interrupted (XeTeX's character classes: ucharclasses with only the Hangul
  block missed a switch after "(" and set later Latin letters such as š in Noto). A
  link's address is printed as a footnote, for readers on paper (in the bibliography,
  in place of the link's text).
- **Layout.** A4, 10 pt; code and outputs in a smaller monospace that fits 94 characters
  per line, longer lines wrapped (with a continuation mark) rather than overfull. Code
  cells are shaded; their outputs are framed and unshaded.
- **Structure.** The root page (the HTML landing page, whose title is the book's) becomes
  an unnumbered chapter, *Preface*; it and the notation page are front matter, unnumbered,
  with equations counted 1, 2, ... as in the HTML; the chapters are numbered 1 to 5, with
  the HTML's chapter.equation and chapter.figure numbers (LaTeX counts them, the same
  way); the references page is back matter, unnumbered, with the bibliography in it.
- **Solutions.** The HTML folds each solution under its exercise. On paper each
  chapter's solutions are gathered in a last section of the chapter, *Solutions*, and
  each exercise says on which page its solution is.
- **Figures.** ``SLIDERS_PRINT=1`` is set for the build's kernels (as sliders_static.py
  sets SLIDERS_STATIC): every figure of ``sliders`` then also carries a vector PDF
  (``application/pdf``), which myst-nb's latex builder prefers over PNG, and a slider
  figure gives its ``frames`` as small multiples. The HTML build never sets it.

For the HTML build it replaces the theme's "print this page" entry of every page's
download menu with a link to the book PDF, ``book.pdf`` at the top of the site, and copies
``_build/pdf/book.pdf`` there when ``make pdf`` has made it (``make pdf`` also copies it
into an existing ``_build/html``). Without a PDF the link is still there: the HTML build
does not need LaTeX.
"""

import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

PDF_NAME = "book.pdf"  # in _build/pdf (make pdf) and at the top of _build/html
PDF_LINK_TEXT = "Book (.pdf)"
PDF_TOOLTIP = "Download the whole book as one PDF"
PREFACE_TITLE = "Preface"
SOLUTIONS_TITLE = "Solutions"
# An exercise or solution starts on a new page rather than leave its title alone at the
# bottom of one; each exercise ends with a link to its solution's page.
KEEP_TOGETHER = r"\needspace{6\baselineskip}"
KEEP_SECTION = r"\needspace{12\baselineskip}"  # the Solutions title and a first solution
SOLUTION_PAGE = (
    r"\par\hfill\hyperref[LABEL]{\sphinxstyleemphasis{Solution on page~\pageref*{LABEL}}}"
)

# Front matter: unnumbered chapters and sections, and equations and figures counted
# 1, 2, ... as the HTML counts them on unnumbered pages. \rnnmainmatter restores Sphinx's
# chapter.number forms (sphinx.sty, numfigreset=1 and mathnumfig), saved at \begin{document}.
MATTER = r"""
\makeatletter
\AtBeginDocument{%
  \edef\rnn@secnumdepth{\the\c@secnumdepth}%
  \let\rnn@theequation\theequation
  \let\rnn@thefigure\thefigure
  \let\rnn@thetable\thetable}
\newcommand\rnnfrontmatter{%
  \setcounter{secnumdepth}{-1}%
  \renewcommand\theequation{\arabic{equation}}%
  \renewcommand\thefigure{\arabic{figure}}%
  \renewcommand\thetable{\arabic{table}}}
\newcommand\rnnmainmatter{%
  \setcounter{secnumdepth}{\rnn@secnumdepth}%
  \let\theequation\rnn@theequation
  \let\thefigure\rnn@thefigure
  \let\thetable\rnn@thetable}
\newcommand\rnnbackmatter{\setcounter{secnumdepth}{-1}}
\makeatother
"""

# The references page is a chapter of its own already: the bibliography goes inside it,
# without the \chapter*{\bibname} of report's thebibliography.
BIBLIOGRAPHY = r"""
\makeatletter
\renewenvironment{sphinxthebibliography}[1]
  {\begingroup\let\chapter\@gobbletwo\begin{thebibliography}{#1}}
  {\end{thebibliography}\endgroup}
\makeatother
"""

# Maths in section titles, as PDF bookmarks: plain text. Sphinx names the contents after
# the first toctree caption ("Before you start"): "Contents". An image at most 0.8 of the
# text's height (Sphinx allows all of it), so that a slider's small multiples and their
# caption fit on one page (the caption ran into the page's footer). Tables: see
# LongTables; one split across pages says "(continued)", not "Table 5.2 - continued":
# the book's tables have no captions, and their numbers are printed nowhere else.
LAYOUT = r"""
\makeatletter\AtBeginDocument{\spx@image@maxheight=0.8\textheight}\makeatother
\protected\def\sphinxtablecontinued#1{\textsf{(continued)}}
\pdfstringdefDisableCommands{\let\(\empty\let\)\empty\def\tau{τ}\def\tanh{tanh}}
\addto\captionsenglish{\renewcommand{\contentsname}{Contents}}
"""

# Code is shaded (sphinxsetup below); a code cell's output is framed on white instead
# (sphinxuseclass calls this environment by the output's class name).
CELLS = r"""
\newenvironment{sphinxclasscell_output}
  {\sphinxsetup{pre_background-TeXcolor={rgb}{1,1,1},
                pre_border-TeXcolor={rgb}{0.80,0.80,0.80}}}{}
"""

# A gathered solution is a run of text under a bold heading, not a framed box: a code
# block cannot break across pages inside a frame (framed.sty), and the last block of
# Solution 3.4 ran 19 pt into the page's footer.
SOLUTIONS = r"""
\makeatletter
\newenvironment{rnnsolution}[1]
  {\par\addvspace{\bigskipamount}\noindent{\sffamily\bfseries\color{TitleColor}#1}%
   \par\nobreak\smallskip\@afterheading}
  {\par}
\makeatother
"""

FONTS = r"""
\setmainfont{Latin Modern Roman}
\setsansfont{Latin Modern Sans}
\setmonofont{lmmono10-regular.otf}[
  BoldFont = lmmonolt10-bold.otf,
  ItalicFont = lmmono10-italic.otf,
  BoldItalicFont = lmmonolt10-boldoblique.otf]
\usepackage{newunicodechar}
\newunicodechar{τ}{\ensuremath{\tau}}
\makeatletter
\newfontfamily\rnnhangul{NotoSerifCJK-Regular.ttc}[FontIndex=1,
  BoldFont=NotoSerifCJK-Bold.ttc, BoldFeatures={FontIndex=1}, AutoFakeSlant=0.2]
{\rnnhangul\xdef\rnn@hangulfamily{\f@family}}
\def\rnn@family{\familydefault}
\newXeTeXintercharclass\rnn@hangul
\@tempcnta="AC00
\loop\XeTeXcharclass\@tempcnta=\rnn@hangul
  \ifnum\@tempcnta<"D7A3 \advance\@tempcnta\@ne\repeat
\def\rnn@enter{\ifx\f@family\rnn@hangulfamily\else
  \global\let\rnn@family\f@family\rnnhangul\fi}
\def\rnn@leave{\ifx\f@family\rnn@hangulfamily\fontfamily{\rnn@family}\selectfont\fi}
\XeTeXinterchartoks 0 \rnn@hangul = {\rnn@enter}
\XeTeXinterchartoks 4095 \rnn@hangul = {\rnn@enter}
\XeTeXinterchartoks \rnn@hangul 0 = {\rnn@leave}
\XeTeXinterchartoks \rnn@hangul 4095 = {\rnn@leave}
\XeTeXinterchartokenstate=1
\makeatother
"""

LATEX_ELEMENTS = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": FONTS,
    "fvset": r"\fvset{fontsize=\small}",
    # Wrap long code lines, and break them inside a word when nothing else fits.
    "sphinxsetup": "verbatimforcewraps=true, verbatimmaxunderfull=0, hmargin=2.5cm, "
    "vmargin=2.5cm, pre_background-TeXcolor={rgb}{0.96,0.96,0.96}, "
    "pre_border-TeXcolor={rgb}{0.80,0.80,0.80}",
    "preamble": MATTER + BIBLIOGRAPHY + LAYOUT + CELLS + SOLUTIONS,
    # Chapters start on the next page, not the next right-hand page: the PDF is read on
    # screens and printed a chapter at a time.
    "extraclassoptions": "openany,oneside",
    # Figures stay where they are, under the code cell that draws them, not floats: a
    # float at the top of a page and a framed code block on it (framed.sty resets the
    # page's goal to the full height) made chapter 4's page 236 pt too tall.
    "figure_align": "H",
    # Bookmarks with chapter and section numbers, as in the contents.
    "passoptionstopackages": r"\PassOptionsToPackage{bookmarksnumbered}{hyperref}",
    "makeindex": "",
    "printindex": "",
}


def _configure(app, config):
    config.latex_engine = "xelatex"
    config.latex_elements = {**LATEX_ELEMENTS, **config.latex_elements}
    config.latex_use_xindy = False
    config.latex_domain_indices = False
    config.latex_toplevel_sectioning = "chapter"
    config.latex_show_urls = "footnote"


def _print_kernels(app):
    # Before any notebook is executed: myst-nb's kernels inherit this process's environment.
    if app.builder.format == "latex":
        os.environ["SLIDERS_PRINT"] = "1"


def keep_whole(node, chars_per_line=90, frame_lines=6):
    """``\\needspace`` for all of a short box: an exercise split across pages left its
    last line, "Solution on page 69", alone at the top of the next one.

    >>> from docutils import nodes
    >>> keep_whole(nodes.paragraph("", "x" * 200))
    '\\\\needspace{9\\\\baselineskip}'
    """
    lines = -(-len(node.astext()) // chars_per_line) + frame_lines
    lines += 2 * len(list(node.findall(nodes.math_block)))  # a display: about 3 lines
    return rf"\needspace{{{lines}\baselineskip}}"


def _latex(text):
    return nodes.raw("", text, format="latex")


def _insert_before(node, new):
    node.parent.insert(node.parent.index(node), new)


class BookStructure(SphinxPostTransform):
    """Front matter, chapters, back matter, and each chapter's solutions at its end.

    Runs on the LaTeX builder's single document (the root page with every page of the
    table of contents inlined where its toctree was).
    """

    default_priority = 800  # after sphinx-exercise has titled the solutions
    formats = ("latex",)

    def run(self, **kwargs):
        root = next(iter(self.document.findall(nodes.section)), None)
        files = [n for n in self.document.findall(addnodes.start_of_file)]
        if root is None or not files:
            return
        self._preface(root)
        numbered = [bool(self.env.toc_secnumbers.get(f["docname"])) for f in files]
        if True in numbered:
            first = numbered.index(True)
            last = len(numbered) - 1 - numbered[::-1].index(True)
            _insert_before(files[first], _latex(r"\rnnmainmatter"))
            if last + 1 < len(files):
                _insert_before(files[last + 1], _latex(r"\rnnbackmatter"))
        for f, is_chapter in zip(files, numbered):
            if is_chapter:
                self._gather_solutions(f)

    def _preface(self, root):
        """The root page's own text as an unnumbered chapter (its title is the book's)."""
        body = [
            child
            for child in root.children[1:]
            if not (isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"])
        ]
        preface = nodes.section("", nodes.title("", PREFACE_TITLE), ids=["rnn-preface"])
        for child in body:
            root.remove(child)
            preface += child
        root.insert(1, preface)
        root.insert(1, _latex(r"\rnnfrontmatter"))

    def _gather_solutions(self, start):
        """Move the chapter's solutions into a last section; each exercise names the page."""
        from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node

        solutions = list(start.findall(solution_node))
        chapter = next(iter(start.findall(nodes.section)), None)
        if not solutions or chapter is None:
            return
        exercises = {
            n.get("label"): n
            for n in start.findall(
                lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))
            )
        }
        section = nodes.section(
            "",
            nodes.title("", SOLUTIONS_TITLE),
            ids=[f"rnn-solutions-{start['docname'].replace('/', '-')}"],
        )
        for i, solution in enumerate(solutions):
            solution.parent.remove(solution)
            # The first one stays with the section title (KEEP_SECTION).
            section += [_latex(KEEP_TOGETHER), solution] if i else [solution]
            exercise = exercises.get(solution.get("target_label"))
            if exercise is not None:
                # sphinx-exercise writes \label{<exercise's docname>:<solution label>}.
                label = f"{exercise.get('docname', start['docname'])}:{solution['label']}"
                exercise += _latex(SOLUTION_PAGE.replace("LABEL", label))
                _insert_before(exercise, _latex(keep_whole(exercise)))
        chapter += [_latex(KEEP_SECTION), section]


def _visit_solution(self, node):
    """A solution in LaTeX, as sphinx-exercise writes it but in ``rnnsolution``."""
    docname = self.builder.env.sphinx_exercise_registry[node["label"]].get("docname")
    self.body.append(f"\n\\phantomsection\\label{{{docname}:{node['label']}}}\n")
    self.body.append("\\begin{rnnsolution}")  # the title node follows, as its {argument}


def _depart_solution(self, node):
    self.body.append("\\end{rnnsolution}\n")


class PrintedLinks(SphinxPostTransform):
    """A bibliography entry's link prints its address in place (``doi:10.1162/...`` becomes
    ``https://doi.org/10.1162/...``) rather than repeat it in a footnote."""

    default_priority = 390  # before Sphinx's ShowUrlsTransform (400) makes the footnotes
    formats = ("latex",)

    def run(self, **kwargs):
        for citation in self.document.findall(nodes.citation):
            for ref in list(citation.findall(nodes.reference)):
                uri = ref.get("refuri", "")
                if uri.startswith(("http://", "https://")) and ref.astext() != uri:
                    ref.children = []
                    ref += nodes.Text(uri)


class EmptyCells(SphinxPostTransform):
    """An empty table cell has no paragraph: Sphinx writes one as a blank line, which
    doubled the height of every row of the notation page's tables with an empty cell."""

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs):
        for entry in self.document.findall(nodes.entry):
            for paragraph in list(entry.findall(nodes.paragraph)):
                if not paragraph.children:
                    paragraph.parent.remove(paragraph)


class TableLeads(SphinxPostTransform):
    """A paragraph that introduces a table stays on the table's page: the notation page's
    "**Probability and autoregression** (chapters 1 and 2):" was left alone at the foot of
    a page, its table (which cannot break) on the next."""

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs):
        for table in list(self.document.findall(nodes.table)):
            parent = table.parent
            index = parent.index(table)
            if index and isinstance(parent[index - 1], nodes.paragraph):
                parent.insert(index, _latex(r"\nopagebreak"))


_TEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
_TEX_WORD = re.compile(r"\\(dim|log|exp|tanh|max|min|sin|cos|det|diag)\b")  # printed as is
_TEX_FONT = re.compile(r"\\(mathbf|mathrm|mathcal|mathbb|boldsymbol|operatorname)\b")


def natural_width(entry):
    """A table cell's width in characters as printed, and its longest unbreakable word.

    Maths counts its symbols, not its TeX (``\\partial`` is one character), wider, and
    does not break (a short formula); code is set in a wider typewriter face and breaks at
    spaces only.

    >>> from docutils import nodes
    >>> natural_width(nodes.entry("", nodes.paragraph("", "", nodes.math("", r"(H, \\dim w)"))))
    (10, 10)
    >>> natural_width(nodes.entry("", nodes.paragraph("", "", nodes.literal("", "max_norm"))))
    (10, 10)
    """
    total, word = 0, 0
    for node in entry.findall(nodes.Text):
        text, parent = str(node), node.parent
        if isinstance(parent, nodes.math):
            text = _TEX_WORD.sub(r"\1", _TEX_FONT.sub("", text))
            text = re.sub(r"[{}_^ ]", "", _TEX_COMMAND.sub("x", text))
            width = round(len(text) * 1.3)  # italic letters, spaces after commas
            total, word = total + width, max(word, min(width, 20))  # breaks only at = or +
            continue
        scale = 1.2 if isinstance(parent, nodes.literal) else 1.0
        total += round(len(text) * scale)
        word = max([word] + [round(len(w) * scale) for w in text.split()])
    return total, word


class LongTables(SphinxPostTransform):
    """Every table breaks across pages and has columns that wrap. Sphinx sets a table of
    over 30 rows as a longtable with ``l`` columns, which never wrap (the notation page's
    table of symbols ran 160 pt into the margin), and a shorter one as a tabulary, which
    cannot break (the errata's table for chapter 5 ran 220 pt past the foot of its page)
    and sized one errata column to a word a line. Each table becomes a longtable whose
    ragged-right columns share the line as :func:`column_widths` says."""

    default_priority = 800
    formats = ("latex",)
    COLUMN = r">{\raggedright\arraybackslash}\X{%d}{%d}"

    def run(self, **kwargs):
        for table in list(self.document.findall(nodes.table)):
            tgroup = next(iter(table.findall(nodes.tgroup)), None)
            if tgroup is None or "colwidths-given" in table["classes"]:
                continue
            columns = len([c for c in tgroup.children if isinstance(c, nodes.colspec)])
            cells = [
                [natural_width(entry) for entry in row.children[:columns]]
                for row in tgroup.findall(nodes.row)
            ]
            widths = column_widths(cells)
            table["classes"].append("longtable")
            spec = "".join(self.COLUMN % (w, sum(widths)) for w in widths)
            _insert_before(table, addnodes.tabular_col_spec(spec=spec))


def column_widths(cells, line=95, least=6, enough=15):
    """Column widths in characters (of ``line`` to a line) from each cell's
    :func:`natural_width`, one list per row, the header first: each column first gets its
    longest word and room for a short header and a short typical cell (the 80th
    percentile), up to ``enough``, then the rest of the line goes to the columns in
    proportion to the text they hold beyond that.

    >>> column_widths([[(2, 2), (10, 10), (60, 12)], [(4, 4), (8, 8), (90, 9)]])
    [7, 13, 75]
    """
    columns = list(zip(*cells))
    floors = []
    for column in columns:
        totals = sorted(t for t, _ in column)
        typical = max(totals[int(0.8 * (len(totals) - 1))], column[0][0] + 2)
        floors.append(max(least, max(w for _, w in column) + 3, min(typical, enough)))
    extra = [max(sum(t for t, _ in c) / len(c) - f, 0) for c, f in zip(columns, floors)]
    spare = max(line - sum(floors), 0)
    return [f + round(spare * e / (sum(extra) or 1)) for f, e in zip(floors, extra)]


# --- HTML: the download menu links the book PDF -------------------------------------------


def _link_pdf(app, pagename, templatename, context, doctree):
    if app.builder.format != "html":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for i, button in enumerate(group["buttons"]):
            if button.get("label") == "download-pdf-button":
                group["buttons"][i] = {
                    "type": "link",
                    "url": context["pathto"](PDF_NAME, 1),
                    "text": PDF_LINK_TEXT,
                    "tooltip": PDF_TOOLTIP,
                    "icon": "fas fa-file-pdf",
                    "label": "download-pdf-button",
                }


def built_pdf(outdir):
    """Where ``make pdf`` leaves the book: ``_build/pdf/book.pdf`` beside ``_build/html``."""
    return Path(outdir).parent / "pdf" / PDF_NAME


def _copy_pdf(app, exception):
    if exception is None and app.builder.format == "html" and built_pdf(app.outdir).is_file():
        shutil.copyfile(built_pdf(app.outdir), Path(app.outdir, PDF_NAME))


def setup(app):
    from sphinx_exercise.nodes import solution_node

    app.setup_extension("sphinx_exercise")  # so that this LaTeX visitor replaces its own
    app.add_node(solution_node, override=True, latex=(_visit_solution, _depart_solution))
    app.connect("config-inited", _configure, priority=900)
    app.connect("builder-inited", _print_kernels)
    app.add_post_transform(BookStructure)
    app.add_post_transform(PrintedLinks)
    app.add_post_transform(EmptyCells)
    app.add_post_transform(LongTables)
    app.add_post_transform(TableLeads)
    # After sphinx-book-theme's header buttons (priority 501).
    app.connect("html-page-context", _link_pdf, priority=600)
    app.connect("build-finished", _copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
