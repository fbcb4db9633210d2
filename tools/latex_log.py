"""Fail the PDF build on what LaTeX only warns about: ``python tools/latex_log.py book.log``.

latexmk stops on a LaTeX error (``make pdf`` runs xelatex with ``-halt-on-error``), but an
unresolved reference, a character missing from a font or a line running into the margin
only leaves a warning in the log, and the PDF then shows "??" or loses text; so does a
page whose text, or a float too tall for it, runs into the footer. This script
reads the log of xelatex's last run (earlier runs always have unresolved references) and
exits with status 1, listing each problem, if it finds any.
"""

import re
import sys
from pathlib import Path

# (what it means, pattern), each matched against one log line at a time (TeX wraps long
# lines at 79 characters, so patterns stay within the start of a message).
PROBLEMS = [
    ("undefined reference", re.compile(r"LaTeX Warning: (Hyper r|R)eference .* undefined")),
    ("undefined citation", re.compile(r"LaTeX Warning: Citation .* undefined")),
    ("undefined references", re.compile(r"LaTeX Warning: There were undefined (references|c)")),
    ("references not settled", re.compile(r"LaTeX Warning: Label\(s\) may have changed")),
    ("duplicate label", re.compile(r"LaTeX Warning: Label .* multiply defined")),
    ("missing glyph", re.compile(r"Missing character: There is no")),
    ("font substituted", re.compile(r"LaTeX Font Warning: Font shape .* undefined")),
    ("overfull line", re.compile(r"Overfull \\hbox \((\d+\.\d+)pt too wide\)")),
    # Text or a figure running past the foot of a page, into the footer.
    ("overfull page", re.compile(r"Overfull \\vbox \((\d+\.\d+)pt too high\)")),
    ("float too large", re.compile(r"LaTeX Warning: Float too large for page by (\d+\.\d+)pt")),
    ("LaTeX error", re.compile(r"^! |^\S+\.tex:\d+: ")),  # plain, and with -file-line-error
]
# What is invisible on the page: an overfull line under 1 pt; a page overfull by less
# than 3 pt (a code block's last descender) or a float as much too large.
TOLERANCE_PT = {"overfull line": 1.0, "overfull page": 3.0, "float too large": 3.0}


def problems(text):
    """The problems in a log's ``text``, one line each (``what: log line``).

    Examples
    --------
    >>> problems("LaTeX Warning: Reference `eq:x' on page 3 undefined on input line 9.")
    ["undefined reference: LaTeX Warning: Reference `eq:x' on page 3 undefined on input line 9."]
    >>> problems("Overfull \\\\hbox (0.4pt too wide) in paragraph at lines 1--2")
    []
    >>> problems("Overfull \\\\hbox (12.5pt too wide) in paragraph at lines 1--2")[0][:14]
    'overfull line:'
    """
    found = []
    for line in text.splitlines():
        for what, pattern in PROBLEMS:
            match = pattern.search(line)
            if match is None:
                continue
            if what in TOLERANCE_PT and float(match.group(1)) < TOLERANCE_PT[what]:
                continue
            found.append(f"{what}: {line.strip()}")
    return found


def main(log):
    found = problems(Path(log).read_text("utf8", errors="replace"))
    if found:
        print(f"{log} reports problems:", *found, sep="\n  ", file=sys.stderr)
        return 1
    print(f"{log}: no unresolved references, missing glyphs or overfull lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
