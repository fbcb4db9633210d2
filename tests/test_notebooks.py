"""Every chapter that is a notebook runs top to bottom in a clean kernel."""

from pathlib import Path

import jupytext
import pytest
from book_toc import is_notebook, toc_pages
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

CHAPTERS = [p for p in toc_pages() if p.suffix == ".md" and p.is_file() and is_notebook(p)]


def test_there_are_notebook_chapters():
    assert CHAPTERS, "no page in _toc.yml is a MyST notebook"


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_executes_without_error(path):
    nb = jupytext.read(path)
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
