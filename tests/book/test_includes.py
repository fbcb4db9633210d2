"""The chapters show rnn_core's source with literalinclude; the line ranges must stay right.

A chapter that writes ``:pyobject: f`` with ``:lines: 1, K-`` means "the def line,
then the body after the docstring"; ``:lines: 1-M, K-`` does the same for a
signature that ruff format wrapped over M lines (type hints make them long).
When the docstring or the signature grows or shrinks, M or K goes stale and the
page would show half a signature or half a docstring, or skip code. This test
finds every such include and checks that line M ends the signature and line K
is the first line after the docstring.
"""

import ast
import re
from pathlib import Path

import pytest
from book_toc import toc_pages

ROOT = Path(__file__).resolve().parents[2]
_INCLUDE = re.compile(r"^```\{literalinclude\}\s+(\S+)\n((?::\S+:.*\n)*)", re.MULTILINE)


def _includes():
    found = []
    for page in toc_pages():
        if page.suffix != ".md" or not page.is_file():
            continue
        for match in _INCLUDE.finditer(page.read_text()):
            options = dict(re.findall(r"^:(\S+):\s*(.*)$", match.group(2), re.MULTILINE))
            found.append((page, (page.parent / match.group(1)).resolve(), options))
    return found


INCLUDES = _includes()


def _node(path, name):
    """The function or class ``name`` defined in the file ``path``."""
    return next(
        n
        for n in ast.walk(ast.parse(path.read_text()))
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name
    )


def test_chapters_show_package_source():
    assert INCLUDES, "no literalinclude found in the book"
    assert all(path.is_file() and ROOT / "rnn_core" in path.parents for _, path, _ in INCLUDES)


@pytest.mark.parametrize(
    "page, path, options", INCLUDES, ids=lambda v: v.stem if isinstance(v, Path) else None
)
def test_included_lines_skip_exactly_the_docstring(page, path, options):
    name = options["pyobject"]
    node = _node(path, name)
    if "lines" not in options:
        return
    ranges = [part.strip() for part in options["lines"].split(",")]
    # Line numbers relative to the object, as literalinclude counts them (1 = def line).
    signature_end = node.body[0].lineno - node.lineno  # the line ending in "):"
    shown = "1" if signature_end == 1 else f"1-{signature_end}"
    assert ranges[0] == shown, (
        f"{page.name}: {name} should start with its whole signature, "
        f":lines: {shown}, got {ranges[0]}"
    )
    body_start = int(ranges[1].rstrip("-").split("-")[0])
    first_code = node.body[1] if isinstance(node.body[0], ast.Expr) else node.body[0]
    expected = first_code.lineno - node.lineno + 1
    assert body_start == expected, (
        f"{page.name}: {name} body starts at line {expected} of the object, "
        f"but :lines: says {body_start}"
    )


WIDTH = 77  # characters a code block on a chapter page shows without scrolling


@pytest.mark.parametrize(
    "page, path, options", INCLUDES, ids=lambda v: v.stem if isinstance(v, Path) else None
)
def test_included_code_fits_the_page_width(page, path, options):
    node = _node(path, options["pyobject"])
    lines = path.read_text().splitlines()[node.lineno - 1 : node.end_lineno]
    if "lines" in options:  # "1-M, K-": the signature, then from line K of the object on
        head, body = (part.strip() for part in options["lines"].split(","))
        end = int(head.partition("-")[2] or head)
        start = int(body.rstrip("-"))
        lines = lines[:end] + lines[start - 1 :]
    wide = [f"{len(line)}: {line.strip()}" for line in lines if len(line) > WIDTH]
    assert not wide, f"{page.name}: {options['pyobject']} shows lines wider than {WIDTH}: {wide}"
