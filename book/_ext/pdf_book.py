"""The book as one PDF (``make pdf``), and the HTML pages' link to it.

``make pdf`` runs ``jupyter-book build --builder pdflatex``: Sphinx's LaTeX builder, then
latexmk with xelatex (Debian's texlive). This extension holds every setting of that
build, so that _config.yml only names it:

- **Fonts.** Latin Modern (text, sans, mono) through fontspec, and Computer Modern maths,
  the same design, from Debian's fonts-lmodern and texlive; the figures' DejaVu Sans comes
  embedded in matplotlib's PDFs. A non-ASCII character of the prose (the τ of a title) is
  set as maths; Korean words (Hangul syllables) switch to Noto Serif CJK KR, face 1 of
  Debian's fonts-noto-cjk collection (slanted where the text is italic), and back to the
  font they interrupted. A link's address is printed as a footnote, for readers on paper
  (in the bibliography, in place of the link's text).
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

# Table columns at least 40 pt wide, so that "symbol" is not broken as "sym-bol". Maths in
# section titles, as PDF bookmarks: plain text. Sphinx names the contents after the first
# toctree caption ("Before you start"): "Contents".
LAYOUT = r"""
\setlength{\tymin}{40pt}
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
\usepackage[HangulSyllables]{ucharclasses}
\setTransitionsFor{HangulSyllables}
  {\let\rnn@family\f@family\rnnhangul}{\fontfamily{\rnn@family}\selectfont}
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
    "preamble": MATTER + BIBLIOGRAPHY + LAYOUT + CELLS,
    # Chapters start on the next page, not the next right-hand page: the PDF is read on
    # screens and printed a chapter at a time.
    "extraclassoptions": "openany,oneside",
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
                _insert_before(exercise, _latex(KEEP_TOGETHER))
        chapter += [_latex(KEEP_SECTION), section]


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
    app.connect("config-inited", _configure, priority=900)
    app.connect("builder-inited", _print_kernels)
    app.add_post_transform(BookStructure)
    app.add_post_transform(PrintedLinks)
    app.add_post_transform(EmptyCells)
    # After sphinx-book-theme's header buttons (priority 501).
    app.connect("html-page-context", _link_pdf, priority=600)
    app.connect("build-finished", _copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
