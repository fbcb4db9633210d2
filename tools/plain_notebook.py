"""A chapter as a Jupyter notebook that reads well without the book around it.

jupytext turns a MyST Markdown chapter into an .ipynb, but leaves the prose in MyST:
JupyterLab then shows ```{math} fences, ``:label:`` lines, {eq} and {cite} roles and
literalinclude directives as raw text, and the code a literalinclude shows is missing.
This module rewrites the Markdown cells into plain Jupyter Markdown:

- ``{math}`` blocks become ``$$ ... \\tag{4.8} $$``, numbered as the book numbers them,
  and ``{eq}`label``` becomes ``(4.8)``, also across chapters; ``{numref}`fig-name```
  becomes "Fig. 5.3", numbered as the book numbers its captioned figures;
- ``literalinclude`` becomes a ```python block holding the included code
  (``:pyobject:`` and ``:lines:`` as Sphinx reads them);
- admonitions become block quotes; exercises become "**Exercise 5.1**" paragraphs,
  and their solutions ``<details>`` blocks that open on a click, like the book's dropdowns;
- headings are numbered as in the book (4.2.4.), and a figure's caption, which MyST
  keeps in its code cell's metadata, follows the cell as "**Figure 3.3.** ...";
- ``{cite}`key``` becomes [Authors, year] from references.bib, and
  ``{doc}`text <page>``` a link to that page's notebook (only its text where the page
  is not a notebook, such as the errata: there is no notebook to link);
- a number the chapter's code computes, written ``{glue:text}`name:fmt```, becomes the
  value the book's build computed, when the build passes them (``glued``; the book's
  download links do, and ``make notebooks`` reads them from the last build's
  ``_build/html/_notebooks/<page>.glue.json``); without a build it stays the name, in
  code font, and a note at the top of the notebook says the code cells compute it.

Code cells are left exactly as they are. ``python plain_notebook.py SRC.md OUT.ipynb``
is what ``make notebooks`` runs; book/_ext/notebook_download.py uses ``convert`` for the
book's download links.
"""

import ast
import hashlib
import json
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]  # the repository: tools/ sits at its top
_FENCE = re.compile(r"^(`{3,})\{([a-z][\w:-]*)\}[ \t]*(.*)$")
_OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
_ROLE = re.compile(r"\{(eq|numref|cite|doc|glue|glue:text)\}`([^`]*)`")
FIGURE = "Fig. {number}"  # how Sphinx writes {numref} to a figure, and so the notebooks
GLUE_NOTE = (
    "*Numbers written as `names` in this notebook are computed by its code cells; "
    "the book, and a notebook downloaded from it, show their values.*"
)


def _toc_pages(root):
    """(path, numbered) for every page of _toc.yml that exists, in order (a Korean page
    not translated yet is left out of the build, so it is left out here too)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf8"))
    pages = [(toc["root"], False)]
    for part in toc.get("parts", []):
        numbered = bool(part.get("numbered"))
        pages += [(entry["file"], numbered) for entry in part.get("chapters", [])]
    paths = [(root / (name if Path(name).suffix else name + ".md"), n) for name, n in pages]
    return [(path, n) for path, n in paths if path.is_file()]


def _config(root):
    """The book's _config.yml under ``root`` as a dict ({} without one)."""
    path = Path(root) / "_config.yml"
    return yaml.safe_load(path.read_text(encoding="utf8")) if path.is_file() else {}


def language(root):
    """The language of the edition whose sources are under ``root``: ``"ko"`` or ``"en"``."""
    lang = str(_config(root).get("sphinx", {}).get("config", {}).get("language") or "en")
    return "ko" if lang.startswith("ko") else "en"


#: The words the converter writes itself, per edition.
WORDS = {
    "en": {"exercise": "Exercise", "solution": "Solution", "figure": "Figure"},
    "ko": {"exercise": "연습문제", "solution": "풀이", "figure": "그림"},
}
#: Under the title of a Korean notebook whose code draws the book's figures: their words
#: come from the kernel's RNNBOOK_LANG (sliders.i18n), which a notebook cannot set itself
#: without a code cell the English notebook lacks.
FIGURE_NOTE_KO = (
    "*이 노트북의 그림은 `RNNBOOK_LANG=ko`를 설정한 채 Jupyter를 실행해야 그림 속 글자가 "
    "한국어로 나온다 (예: `RNNBOOK_LANG=ko jupyter lab`). 설정하지 않아도 코드와 결과는 같고 "
    "그림의 글자만 영어이다.*"
)
GLUE_NOTES = {
    "en": GLUE_NOTE,
    "ko": (
        "*이 노트북에서 `이름`으로 적힌 수는 코드 셀이 계산한다. 책과, 책에서 내려받은 "
        "노트북에는 그 값이 적혀 있다.*"
    ),
}


def equation_numbers(root=ROOT):
    """Label -> number as the book shows it: "4.8" in chapter 4, a running count elsewhere."""
    numbers, chapter, loose = {}, 0, 0
    for path, numbered in _toc_pages(root):
        labels = re.findall(
            r"^`{3,}\{math\}[^\n]*\n:label:[ \t]*(\S+)", path.read_text("utf8"), flags=re.MULTILINE
        )
        chapter += numbered
        for k, label in enumerate(labels, start=1):
            if numbered:
                numbers[label] = f"{chapter}.{k}"
            else:
                loose += 1
                numbers[label] = str(loose)
    return numbers


# A code cell's opening fence and its YAML option block (``---`` lines right below it).
_CELL_OPTIONS = re.compile(r"^`{3,}\{code-cell\}[^\n]*\n(?:---\n(.*?)\n---\n)?", re.M | re.S)


def cell_figures(text):
    """The ``mystnb: figure:`` options of every code cell of a MyST page, in order ({} if none).

    Read from the option blocks alone: jupytext parses the whole page, 50 ms for a chapter,
    and the numbers are wanted for every page of the book each time one page is converted.
    """
    blocks = (m.group(1) for m in _CELL_OPTIONS.finditer(text))
    options = [(yaml.safe_load(block) or {}) if block else {} for block in blocks]
    return [(o.get("mystnb") or {}).get("figure") or {} for o in options]


def figure_numbers(root=ROOT):
    """Figure name -> number as the book shows it ("5.3"): captioned code cells, in order."""
    numbers, chapter, loose = {}, 0, 0
    for path, numbered in _toc_pages(root):
        chapter += numbered
        figures = cell_figures(path.read_text("utf8"))
        for k, figure in enumerate([f for f in figures if "caption" in f], start=1):
            loose += not numbered
            if "name" in figure:
                numbers[figure["name"]] = f"{chapter}.{k}" if numbered else str(loose)
    return numbers


def _chapter_number(source, root):
    numbered = [path for path, n in _toc_pages(root) if n]
    return numbered.index(source.resolve()) + 1 if source.resolve() in numbered else None


def _bibliography(root):
    """The .bib file of the book under ``root`` (its _config.yml's first bibtex_bibfiles)."""
    files = _config(root).get("bibtex_bibfiles") or ["book/references.bib"]
    return (Path(root) / files[0]).resolve()


def citations(root=ROOT):
    """Bib key -> "Author, Author and Author, year" (three or more: "First et al.")."""
    text = _bibliography(root).read_text(encoding="utf8")
    out = {}
    for key, body in re.findall(r"@\w+\{([^,]+),(.*?)\n\}", text, flags=re.DOTALL):
        authors = re.search(r"author\s*=\s*\{(.*?)\},?\n", body, flags=re.DOTALL).group(1)
        names = [a.split(",")[0].strip(" {}") for a in authors.split(" and ")]
        year = re.search(r"year\s*=\s*\{?(\d{4})", body).group(1)
        who = names[0] + " et al." if len(names) > 2 else " and ".join(names)
        out[key.strip()] = f"{who}, {year}"
    return out


def _included_code(path, options):
    """What literalinclude shows: the object named by :pyobject:, then :lines:."""
    text = path.read_text(encoding="utf8")
    lines = text.splitlines()
    if "pyobject" in options:
        node = next(
            n for n in ast.walk(ast.parse(text)) if getattr(n, "name", None) == options["pyobject"]
        )
        start = node.lineno - 1 - len(getattr(node, "decorator_list", []))
        lines = lines[start : node.end_lineno]
    if "lines" in options:
        keep = []
        for part in options["lines"].split(","):
            first, _, last = part.strip().partition("-")
            stop = len(lines) if (_ and not last) else int(last or first)
            keep += lines[int(first) - 1 : stop]
        lines = keep
    return "\n".join(lines)


_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})(?![`~{])")  # a plain code block, no directive
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_BLOCK_START = re.compile(r"^\s*([-*+] |\d+\. |#|>|\||`{3,}|~{3,}|\$\$)")


def _in_code(fence, line):
    """(whether ``line`` belongs to a plain code block, the fence open after it).

    ``fence`` is the fence open before the line, or None outside code blocks.
    """
    if fence:
        return True, (None if line.strip() == fence else fence)
    opened = _CODE_FENCE.match(line)
    return bool(opened), (opened.group(1) if opened else None)


def _unwrapped(text):
    """``text`` with each paragraph and list item on one line (code blocks untouched).

    Inside a block quote every line starts with "> ", and JupyterLab takes the math out
    before it reads the quote: a formula that wrapped would carry a ">" into the TeX.
    """
    out, code = [], None
    for line in text.split("\n"):
        is_code, code = _in_code(code, line)
        if is_code:
            out.append(line)
        elif line.strip() and out and out[-1].strip() and not _BLOCK_START.match(line):
            out[-1] += " " + line.strip()  # a continuation line
        else:
            out.append(line)
    return "\n".join(out)


def glue_roles(text):
    """Every ``{glue}`` or ``{glue:text}`` role argument in ``text``, in order."""
    return [arg for kind, arg in _ROLE.findall(text) if kind.startswith("glue")]


def is_notebook(path):
    """Whether ``path`` is a MyST Markdown notebook page (front matter with a kernelspec)."""
    path = Path(path)
    if path.suffix != ".md" or not path.is_file():
        return False
    text = path.read_text(encoding="utf8")
    if not text.startswith("---\n"):
        return False
    return "kernelspec" in (yaml.safe_load(text[4 : text.find("\n---", 4)]) or {})


class _Converter:
    def __init__(self, source, root, glued=None):
        self.source, self.root, self.glued = source, root, glued
        self.unfilled = False  # a glue role was left as its name
        self.words = WORDS[language(root)]
        # A Korean page may refer to an equation of a chapter not translated yet: the
        # Korean build links it into the English edition, with the English number.
        editions = dict.fromkeys([ROOT, Path(root).resolve()])  # one, for the English book
        self.numbers = {k: v for r in editions for k, v in equation_numbers(r).items()}
        self.figure_numbers = {k: v for r in editions for k, v in figure_numbers(r).items()}
        self.cites = citations(root)
        self.chapter, self.exercises = _chapter_number(source, root), 0
        self.sections, self.figures = [], 0  # heading counters; figures so far

    def roles(self, text):
        def role(m):
            kind, arg = m.groups()
            if kind == "eq":
                return f"({self.numbers[arg]})"
            if kind == "numref":  # {numref}`fig-x` or {numref}`Figure %s <fig-x>`
                named = re.match(r"(.*?)\s*<([^>]*)>$", arg)
                template, name = named.groups() if named else (FIGURE, arg)
                number = self.figure_numbers[name]
                return template.replace("%s", number).replace("{number}", number)
            if kind == "cite":
                return "[" + "; ".join(self.cites[k.strip()] for k in arg.split(",")) + "]"
            if kind.startswith("glue"):
                if self.glued is not None and arg in self.glued:
                    return self.glued[arg]
                self.unfilled = True
                return f"`{arg.split(':')[0]}`"
            named = re.match(r"(.*?)\s*<([^>]*)>$", arg)  # {doc}`text <page>`
            text, page = named.groups() if named else (arg, arg)
            if not is_notebook((Path(self.source).parent / page).with_suffix(".md")):
                return text
            return f"[{text}]({Path(page).name}.ipynb)"  # the notebooks share a folder

        return _ROLE.sub(role, text)

    def heading(self, hashes, title):
        """A heading numbered as the book numbers it: 4., 4.2., 4.2.4. ..."""
        title = self.roles(title)
        if not self.chapter:
            return f"{hashes} {title}"
        level = len(hashes) - 1  # 0: the chapter's title
        if level:
            self.sections = self.sections[:level]
            self.sections += [0] * (level - len(self.sections))
            self.sections[level - 1] += 1
        number = ".".join(map(str, [self.chapter, *self.sections[:level]]))
        return f"{hashes} {number}. {title}"

    def markdown(self, text):
        """Plain Jupyter Markdown for one MyST Markdown cell."""
        lines, out, i, code = text.split("\n"), [], 0, None
        while i < len(lines):
            line, i = lines[i], i + 1
            is_code, code = _in_code(code, line)
            if is_code:  # a plain code block: copied as it is
                out.append(line)
                continue
            m = _FENCE.match(line)
            heading = _HEADING.match(line)
            if heading:
                out.append(self.heading(*heading.groups()))
            elif not m:
                out.append(self.roles(line))
            else:
                name, argument = m.group(2), m.group(3)
                end = lines.index(m.group(1), i)  # the close has the same backticks
                options, body = {}, lines[i:end]
                while body and _OPTION.match(body[0]):
                    key, value = _OPTION.match(body.pop(0)).groups()
                    options[key] = value
                out.append(self.directive(name, argument, options, "\n".join(body).strip("\n")))
                i = end + 1
        return "\n".join(out)

    def directive(self, name, argument, options, body):
        if name == "math":
            tag = f" \\tag{{{self.numbers[options['label']]}}}" if "label" in options else ""
            return f"$$\n{body}{tag}\n$$"
        if name == "literalinclude":
            code = _included_code((self.source.parent / argument).resolve(), options)
            return f"```python\n{code}\n```"
        inner = self.markdown(body)
        if name == "admonition":
            quoted = "\n".join(f"> {line}".rstrip() for line in _unwrapped(inner).split("\n"))
            return f"> **{self.roles(argument)}**\n>\n{quoted}"
        if name == "exercise":
            self.exercises += 1
            number = f"{self.chapter}.{self.exercises}" if self.chapter else self.exercises
            title = f" {self.roles(argument)}" if argument else ""
            return f"**{self.words['exercise']} {number}.**{title}\n\n{inner}"
        if name == "solution":
            summary = self.words["solution"]
            return f"<details>\n<summary>{summary}</summary>\n\n{inner}\n\n</details>"
        raise ValueError(f"{self.source.name}: no plain form for the directive {{{name}}}")

    def caption(self, cell):
        """A Markdown cell with the figure caption a code cell's metadata holds, or None."""
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if "caption" not in figure:
            return None
        self.figures += 1
        number = f"{self.chapter}.{self.figures}" if self.chapter else self.figures
        return nbformat.v4.new_markdown_cell(
            f"**{self.words['figure']} {number}.** {self.roles(figure['caption'])}"
        )


def convert(source, root=ROOT, glued=None):
    """The MyST Markdown notebook ``source`` as an nbformat notebook in plain Markdown.

    ``glued`` maps each glue role's argument (``"name:fmt"``) to the text the book
    shows for it; roles it does not cover keep their names.
    """
    source = Path(source)
    notebook = jupytext.read(source, fmt="md:myst")
    converter, cells = _Converter(source, Path(root), glued), []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = converter.markdown(cell.source)
        cells.append(cell)
        caption = converter.caption(cell) if cell.cell_type == "code" else None
        if caption is not None:  # shown under the figure, as in the book
            cells.append(caption)
    if converter.unfilled:  # under the title
        cells.insert(1, nbformat.v4.new_markdown_cell(GLUE_NOTES[language(root)]))
    draws = any("rnnbook.figures" in c.source for c in cells if c.cell_type == "code")
    if language(root) == "ko" and draws:
        cells.insert(1, nbformat.v4.new_markdown_cell(FIGURE_NOTE_KO))
    notebook.cells = cells
    for i, cell in enumerate(cells):
        # nbformat gives every new cell a random id: derive it from the cell's place
        # and text instead, so that converting the same chapter twice gives the same file.
        digest = hashlib.sha256(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()
        cell.id = f"{i:03d}-{digest[:8]}"
    return notebook


def edition_root(source):
    """The folder of the edition ``source`` belongs to: ``ko/`` for a Korean page (it holds
    ko/_toc.yml and ko/_config.yml), else the repository."""
    korean = ROOT / "ko"
    return korean if Path(source).resolve().is_relative_to(korean) else ROOT


def built_glue(source, root=ROOT):
    """The glued texts of the last book build for ``source``, or None without a build.

    A Korean page's values are the Korean build's (``_build/html/ko/_notebooks/``), or else
    the English build's: the code cells, and so the values, are the same.
    """
    name = Path(source).stem + ".glue.json"
    folders = [Path(root, "_build", "html", "_notebooks")]
    if edition_root(source) != ROOT:
        folders.insert(0, Path(root, "_build", "html", "ko", "_notebooks"))
    for folder in folders:
        found = sorted(folder.rglob(name)) if folder.is_dir() else []
        if found:
            return json.loads(found[0].read_text(encoding="utf8"))
    return None


def main(argv):
    source, target = map(Path, argv)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(convert(source, edition_root(source), built_glue(source)), target)


if __name__ == "__main__":
    main(sys.argv[1:])
