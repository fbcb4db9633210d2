"""Keep the Korean pages' code the English pages' code, and report where their structure differs.

    python tools/ko_sync.py            # copy every English code cell into its Korean page
    python tools/ko_sync.py --check    # change nothing; exit 1 if a page would change
    python tools/ko_sync.py ko/book/ch03_rnn_cell.md ...   # only these Korean pages

The translators never edit code, and the English code keeps changing: this copies each
```` ```{code-cell} ```` block of every English page (tools/editions.py pairs them) into its
Korean page, cell for cell in order. The cell's code and options come from English; only
the options a reader reads, ``caption`` and ``alt`` (in the cell's YAML header or as
``:caption:`` / ``:alt:`` lines), keep the Korean page's text. A page whose number of code
cells differs from its English page is not touched: there is no telling which cell is
which.

Then, for every pair, it compares what must be the same in both editions and reports each
difference (exit status 1): the code cells, the labels (``(name)=``, ``:label:``,
``:name:``, ``name:``) in order, the display equations (label and LaTeX, in order), the glue
keys, the figure names, the citation keys, and the files that ``literalinclude`` shows (the
Korean chapter sits a folder deeper, so its relative paths differ but must reach the same
file). tests/book/test_korean_parity.py asserts the same with :func:`differences`.
"""

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # tools/ is not a package: its folder is put on the path above

ROOT = editions.ROOT
_OPEN = re.compile(r"^(`{3,})\{code-cell\}")
_TRANSLATED = re.compile(r"^(\s*)(:?)(caption|alt)(:?)(\s*)(.*)$")  # caption: / :caption:


class Cell:
    """One ```{code-cell} block: its lines ``[start, end)`` in the page, header (the fence
    line and the options) and code."""

    def __init__(self, lines, start, end):
        self.start, self.end = start, end
        block = lines[start:end]
        n = 1
        if len(block) > 1 and block[1] == "---":  # YAML options between two --- lines
            n = block.index("---", 2) + 1
        else:
            while n < len(block) - 1 and block[n].startswith(":"):
                n += 1
        self.header, self.code, self.close = block[:n], block[n:-1], block[-1]

    @property
    def text(self):
        return "\n".join([*self.header, *self.code, self.close])

    def options_without_words(self):
        """The header with the values of ``caption`` and ``alt`` left out."""
        return [_TRANSLATED.sub(r"\1\2\3\4", line) for line in self.header]

    def words(self):
        """Key path -> line, for the caption and alt lines of the header."""
        out, path = {}, []
        for line in self.header:
            match = _TRANSLATED.match(line)
            indent = len(line) - len(line.lstrip())
            path = [(i, k) for i, k in path if i < indent]
            if match:
                out[(*(k for _, k in path), match.group(3))] = line
            elif line.strip().endswith(":") and not line.lstrip().startswith(":"):
                path.append((indent, line.strip()[:-1]))
        return out


def code_cells(text):
    """The ```{code-cell} blocks of a MyST page, in order."""
    lines, cells, i = text.split("\n"), [], 0
    while i < len(lines):
        opened = _OPEN.match(lines[i])
        if not opened:
            i += 1
            continue
        fence = opened.group(1)
        end = next(j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence)
        cells.append(Cell(lines, i, end + 1))
        i = end + 1
    return cells


def synced(english_cell, korean_cell):
    """The English cell, with the Korean cell's caption and alt lines where it has them."""
    korean_words = korean_cell.words() if korean_cell else {}
    header = []
    for key, line in zip(_keys(english_cell), english_cell.header):
        header.append(korean_words.get(key, line) if key else line)
    return "\n".join([*header, *english_cell.code, english_cell.close])


def _keys(cell):
    """For each header line, the key path of its caption or alt, else None."""
    by_line = {line: key for key, line in cell.words().items()}
    return [by_line.get(line) for line in cell.header]


def sync_text(english, korean):
    """``korean`` with every code cell replaced by its English cell (Korean words kept), or
    None if the two pages do not have the same number of code cells."""
    e_cells, k_cells = code_cells(english), code_cells(korean)
    if len(e_cells) != len(k_cells):
        return None
    lines = korean.split("\n")
    for e, k in reversed(list(zip(e_cells, k_cells))):  # from the end: spans stay valid
        lines[k.start : k.end] = synced(e, k).split("\n")
    return "\n".join(lines)


# --- structure ------------------------------------------------------------------------------

_LABELS = re.compile(
    r"^\(([\w:.-]+)\)=$|^:(?:label|name):[ \t]*(\S+)$|^[ \t]+name:[ \t]*(\S+)$", re.MULTILINE
)
_MATH = re.compile(r"^(`{3,})\{math\}[^\n]*\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_DOLLARS = re.compile(r"^\$\$\n?(.*?)\$\$", re.MULTILINE | re.DOTALL)
_GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`|^`{3,}\{glue:\w+\}[ \t]*(\S+)", re.MULTILINE)
_CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
_FIGURE = re.compile(  # a code cell's mystnb figure, or a {figure} directive
    r"^[ \t]*figure:\n(?:[ \t]+.*\n)*?[ \t]+name:[ \t]*(\S+)"
    r"|^`{3,}\{figure\}.*\n(?::.*\n)*?:name:[ \t]*(\S+)",
    re.MULTILINE,
)
_INCLUDE = re.compile(r"^`{3,}\{literalinclude\}[ \t]+(\S+)\n((?::\S+:.*\n)*)", re.MULTILINE)


def equations(text):
    """Every display equation: (label or "", LaTeX), in order."""
    out = []
    for _, body in _MATH.findall(text):
        lines = body.split("\n")
        label = next((ln.split(":", 2)[2].strip() for ln in lines if ln.startswith(":label:")), "")
        latex = "\n".join(ln for ln in lines if not re.match(r"^:\w+:", ln)).strip()
        out.append((label, latex))
    return out + [("", b.strip()) for b in _DOLLARS.findall(text)]


def _without_front_matter(text):
    if text.startswith("---\n"):
        return text[text.index("\n---\n", 4) + 5 :]
    return text


def structure(path, text=None):
    """What a page must share with its other edition, read from its source (``text``, or
    the file at ``path``; includes are resolved from ``path``'s folder)."""
    text = _without_front_matter(Path(path).read_text(encoding="utf8") if text is None else text)
    includes = [
        ((Path(path).parent / target).resolve().relative_to(ROOT).as_posix(), options)
        for target, options in _INCLUDE.findall(text)
    ]
    return {
        "code cells": [c.code for c in code_cells(text)],
        "code cell options": [c.options_without_words() for c in code_cells(text)],
        "labels": [a or b or c for a, b, c in _LABELS.findall(text)],
        "display equations": equations(text),
        "glue keys": sorted(a or b for a, b in _GLUE.findall(text)),
        "figure names": [a or b for a, b in _FIGURE.findall(text)],
        "citation keys": sorted({k.strip() for arg in _CITE.findall(text) for k in arg.split(",")}),
        "included files": includes,
    }


def differences(english, korean, korean_text=None):
    """What differs between an English page and its Korean page (its file, or
    ``korean_text``), as readable lines; none when they agree.

    >>> differences("book/notation.md", "ko/notation.md")
    []
    """
    e, k = structure(ROOT / english), structure(ROOT / korean, korean_text)
    out = []
    for name in e:
        if e[name] == k[name]:
            continue
        if name in ("code cells", "code cell options"):
            bad = [i for i, (a, b) in enumerate(zip(e[name], k[name])) if a != b]
            count = f"{len(e[name])} in English, {len(k[name])} in Korean"
            out.append(f"{korean}: {name} differ ({count}; cells {bad[:8]} differ)")
        else:
            missing = list((Counter(map(str, e[name])) - Counter(map(str, k[name]))).elements())
            extra = list((Counter(map(str, k[name])) - Counter(map(str, e[name]))).elements())
            order = "" if missing or extra else " (same entries, another order)"
            out.append(
                f"{korean}: {name} differ{order}: missing {missing[:6]}, not in English {extra[:6]}"
            )
    return out


def main(argv):
    check = "--check" in argv
    chosen = {a for a in argv if not a.startswith("--")}
    problems, changed = [], []
    for english, korean, exists in editions.pairs():
        if not exists or (chosen and korean not in chosen):
            continue
        e_text = (ROOT / english).read_text(encoding="utf8")
        k_text = (ROOT / korean).read_text(encoding="utf8")
        new = sync_text(e_text, k_text)
        if new is None:
            e_n, k_n = len(code_cells(e_text)), len(code_cells(k_text))
            problems.append(f"{korean}: {k_n} code cells, {english} has {e_n}: not synced")
        elif new != k_text:
            changed.append(korean)
            if not check:
                (ROOT / korean).write_text(new, encoding="utf8")
        if new is not None:
            problems += differences(english, korean, new)
    verb = "would change" if check else "synced"
    for page in changed:
        print(f"ko_sync: {verb} the code cells of {page}")
    for line in problems:
        print(f"ko_sync: {line}", file=sys.stderr)
    return 1 if problems or (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
