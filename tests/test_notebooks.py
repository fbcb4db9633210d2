"""Every chapter runs top to bottom in a clean kernel, and so does the code in its solutions."""

import re
from pathlib import Path

import jupytext
import nbformat
import pytest
from book_toc import is_notebook, toc_pages
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

CHAPTERS = [p for p in toc_pages() if p.suffix == ".md" and p.is_file() and is_notebook(p)]

# A python code block (``` or ~~~ fenced) inside a {solution} directive.
_SOLUTION = re.compile(r"^(`{3,}|~{3,})\{solution\}.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"^(`{3,}|~{3,})python[ \t]*\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def solution_code(text):
    """The python blocks shown in the chapter's exercise solutions, in order."""
    return [code.group(2) for block in _SOLUTION.finditer(text)
            for code in _CODE.finditer(block.group(0))]


def test_there_are_notebook_chapters():
    assert CHAPTERS, "no page in _toc.yml is a MyST notebook"


def test_solution_code_is_found():
    text = "```{solution} ex\n:class: dropdown\n\n~~~python\nx = 1\n~~~\n```\n"
    assert solution_code(text) == ["x = 1\n"]


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_and_its_solutions_execute_without_error(path):
    nb = jupytext.read(path)
    # The solutions' code runs after the chapter, in its namespace, as a reader
    # who pastes it at the end of the notebook would run it.
    nb.cells += [nbformat.v4.new_code_cell(code) for code in solution_code(path.read_text())]
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name=kernel,
        resources={"metadata": {"path": str(path.parent)}},  # run where the book runs it
    )
    client.execute()  # raises CellExecutionError naming the failing cell
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
